from collections.abc import Iterable
from typing import Any

from hazri.audit.models import AuditEvent


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
) -> list[AuditEvent]:
    """Many events by one user at once (action, object, school id, detail): one INSERT."""
    who = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=who,
                school_id=school_id,
                action=action,
                object_type=type(obj).__name__,
                object_id=str(obj.pk),
                detail=detail or {},
            )
            for action, obj, school_id, detail in events
        ]
    )
