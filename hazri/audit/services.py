from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from hazri.audit.models import AuditEvent
from hazri.common import sql


def audit_record(
    *, user: Any, action: str, obj: Any, school_id: int | None, detail: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        school_id=school_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        detail=detail or {},
    )


def audit_records(
    *, user: Any, events: Iterable[tuple[str, Any, int | None, dict[str, Any] | None]]
) -> int:
    """Many events by one user at once (action, object, school id, detail): one INSERT,
    written as plain SQL (every roll-call submit runs it). Returns how many."""
    who = user.pk if user is not None and user.is_authenticated else None
    at = sql.param(AuditEvent, "at", timezone.now())
    rows = [
        [at, who, school_id, action, type(obj).__name__, str(obj.pk)]
        + [sql.param(AuditEvent, "detail", detail or {})]
        for action, obj, school_id, detail in events
    ]
    if not rows:
        return 0
    source, args = sql.rows_source(_COLUMNS, rows)
    return sql.execute(
        "INSERT INTO audit_auditevent (at, user_id, school_id, action, object_type, object_id, "
        f"detail) {source}",
        args,
    )


_COLUMNS = [
    AuditEvent._meta.get_field(name)
    for name in ("at", "user", "school_id", "action", "object_type", "object_id", "detail")
]
