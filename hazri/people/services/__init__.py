"""People's writes: admissions, enrolments, leavings, postings, teaching assignments
and guardianships (one at a time, or a school's whole roll or staff from an import:
register, hr). The only writers of these tables besides the demo's bulk load."""

from hazri.people.services.bulk import AdmissionIn, EnrolmentIn
from hazri.people.services.guardians import guardian_add, guardian_link, guardian_unlink
from hazri.people.services.hr import staff_plan, staff_sync
from hazri.people.services.leaving import admission_check, admissions_disagreeing
from hazri.people.services.loading import (
    Loaded,
    staff_add,
    staff_details_set,
    student_details_set,
    student_history_load,
    students_history_load,
)
from hazri.people.services.register import register_plan, register_sync
from hazri.people.services.staff import assignment_end, assignment_start, posting_end, staff_post
from hazri.people.services.students import (
    section_promote,
    student_admit,
    student_move,
    student_strike_off,
    student_transfer,
)

__all__ = [
    "AdmissionIn",
    "EnrolmentIn",
    "Loaded",
    "staff_add",
    "staff_details_set",
    "student_details_set",
    "student_history_load",
    "students_history_load",
    "admission_check",
    "admissions_disagreeing",
    "assignment_end",
    "assignment_start",
    "guardian_add",
    "guardian_link",
    "guardian_unlink",
    "posting_end",
    "register_plan",
    "register_sync",
    "section_promote",
    "staff_plan",
    "staff_post",
    "staff_sync",
    "student_admit",
    "student_move",
    "student_strike_off",
    "student_transfer",
]
