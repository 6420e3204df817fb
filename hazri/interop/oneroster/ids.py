"""sourcedIds: the stored one where an object came from another system, else a stable
id derived from the object's natural key (codes, admission numbers, dates), so two
databases holding the same roster give the same ids."""

import hashlib
from collections.abc import Iterable

from hazri.interop.models import SourcedId

Kind = SourcedId.Kind


class Ids:
    """The stored sourcedIds of some kinds, read once; `of` answers one object."""

    def __init__(self, kinds: Iterable[str], *, school_ids: list[int] | None = None) -> None:
        rows = SourcedId.objects.filter(kind__in=list(kinds))
        if school_ids is not None:
            # Hot lookup: the schools' own rows, and those that carry no school.
            from django.db.models import Q

            rows = rows.filter(Q(school_id__in=school_ids) | Q(school_id__isnull=True))
        self._stored = {
            (kind, object_id, part): sid
            for kind, object_id, part, sid in rows.values_list(
                "kind", "object_id", "part", "sourced_id"
            )
        }
        # Every id answered, the other way round: (kind, sourcedId) -> (object, part).
        self.seen: dict[tuple[str, str], tuple[int, int]] = {}

    def of(self, kind: str, object_id: int, derived: str, part: int = 0) -> str:
        sid = self._stored.get((kind, object_id, part), derived)
        self.seen[(kind, sid)] = (object_id, part)
        return sid


def short_code(sourced_id: str, *, limit: int) -> str:
    """A code of at most `limit` characters for an object that came without one: the
    sourcedId itself where it fits, else a digest of it (the same each time)."""
    if len(sourced_id) <= limit:
        return sourced_id
    return "OR" + hashlib.sha256(sourced_id.encode()).hexdigest()[: limit - 2].upper()
