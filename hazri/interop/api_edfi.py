"""Ed-Fi attendance events of a school for a range of days (docs/edfi.md)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from hazri.accounts.access import actor_of
from hazri.common.api import ErrorOut
from hazri.interop.edfi.export import attendance_export
from hazri.interop.edfi.schemas import EdFiAttendanceOut, EdFiQuery

router = Router(tags=["interop"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 422), ErrorOut)


@router.get(
    "/edfi/attendance",
    response={200: EdFiAttendanceOut, **ERRORS},
    summary="A school's roll calls as Ed-Fi StudentSchoolAttendanceEvent and "
    "StudentSectionAttendanceEvent resources (at most 31 days)",
)
def edfi_attendance(request: HttpRequest, query: Query[EdFiQuery]) -> Any:
    """Descriptors of our own namespace first, the school, then the events; only the
    current version of each roll call. Heads and school admins for their school, the
    state's administrator for any."""
    _, bundle = attendance_export(actor_of(request), query.school, query.start, query.end)
    return bundle
