"""Our marks as Ed-Fi AttendanceEventCategoryDescriptor values.

Ed-Fi's own namespace has In Attendance, Excused Absence, Unexcused Absence, Tardy and
Early departure. Three of our four marks are Ed-Fi's: P is In Attendance, A an
Unexcused Absence, L (leave the school granted) an Excused Absence. D (away on duty:
scouting, NCC, sports) counts as attended in the register but is not being in class,
so it is a descriptor of our own namespace, published with the export so that an ODS
can load it before the events that use it.
"""

from dataclasses import dataclass

from django.conf import settings

ED_FI = "uri://ed-fi.org/AttendanceEventCategoryDescriptor"


@dataclass(frozen=True)
class Category:
    code_value: str
    description: str
    ours: bool  # in our namespace (a descriptor the receiver must load), not Ed-Fi's

    def uri(self) -> str:
        return f"{namespace() if self.ours else ED_FI}#{self.code_value}"


IN_ATTENDANCE = Category("In Attendance", "Present in the meeting.", ours=False)
CATEGORIES: dict[str, Category] = {
    "P": IN_ATTENDANCE,
    "A": Category("Unexcused Absence", "Absent from the meeting.", ours=False),
    "L": Category("Excused Absence", "On leave granted by the school.", ours=False),
    "D": Category(
        "On Duty",
        "Away on school duty (scouting, NCC, sports): counted as attended.",
        ours=True,
    ),
}


def namespace() -> str:
    """Our descriptors' namespace: the state's own (HAZRI_EDFI_NAMESPACE)."""
    base = str(getattr(settings, "HAZRI_EDFI_NAMESPACE", "uri://hazri.example"))
    return f"{base.rstrip('/')}/AttendanceEventCategoryDescriptor"


def own_descriptors() -> list[dict[str, str]]:
    """Our namespace's descriptors, as Ed-Fi's descriptor resources."""
    return [
        {
            "namespace": namespace(),
            "codeValue": c.code_value,
            "shortDescription": c.code_value,
            "description": c.description,
        }
        for c in CATEGORIES.values()
        if c.ours
    ]
