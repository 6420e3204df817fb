"""The admissions API's shapes, and how an application is answered."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from hazri.admissions import selectors
from hazri.admissions.models import Application
from hazri.admissions.services import Details
from hazri.common.api import Day, Id, Text

Grade = Annotated[int, Field(ge=1, le=12)]
Relation = Literal["mother", "father", "other"]
DocumentKind = Literal["birth_certificate", "transfer_certificate", "photo"]
StatusName = Literal[
    "submitted",
    "under_review",
    "correction_asked",
    "resubmitted",
    "admitted",
    "refused",
    "withdrawn",
]


class PhoneCodeIn(Schema):
    phone: Text = Field(max_length=30, description="The mobile number, 10 to 15 digits")


class PhoneCodeOut(Schema):
    phone: str
    expires_at: dt.datetime


class PhoneVerifyIn(Schema):
    phone: Text = Field(max_length=30)
    code: Text = Field(max_length=20, description="The six digits sent by SMS")


class PhoneVerifiedOut(Schema):
    phone: str
    token: str = Field(description="Send it as the X-Admission-Token header")
    expires_at: dt.datetime


class AdmissionDocumentIn(Schema):
    kind: DocumentKind
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=7_000_000, description="The file, base64 (at most 5 MB)")


class ApplicationDetailsIn(Schema):
    child_name: Text = Field(max_length=200)
    child_name_local: Text = Field("", max_length=200)
    gender: Literal["F", "M", "O"]
    date_of_birth: Day
    state_id: Text = Field("", max_length=32, description="The state's student id, if any")
    guardian_name: Text = Field(max_length=200)
    guardian_name_local: Text = Field("", max_length=200)
    guardian_phone: Text = Field(max_length=30)
    guardian_email: Text = Field("", max_length=254)
    relation: Relation
    address: Text = Field("", max_length=300)
    documents: list[AdmissionDocumentIn] = Field([], max_length=3)

    def details(self) -> Details:
        return Details(
            child_name=self.child_name,
            child_name_local=self.child_name_local,
            gender=self.gender,
            date_of_birth=self.date_of_birth,
            state_id=self.state_id,
            guardian_name=self.guardian_name,
            guardian_name_local=self.guardian_name_local,
            guardian_phone=self.guardian_phone,
            guardian_email=self.guardian_email,
            relation=self.relation,
            address=self.address,
        )


class ApplicationIn(ApplicationDetailsIn):
    academic_year: Id
    grade: Grade
    schools: list[Id] = Field(
        min_length=1, max_length=5, description="Preferred schools, the first preferred"
    )


class ApplicationWithdrawIn(Schema):
    reason: Text = Field("", max_length=500)


class CorrectionIn(Schema):
    note: Text = Field(max_length=500, description="What the family must fix")


class RefuseIn(Schema):
    reason: Text = Field(max_length=500)
    no_seats: bool = Field(
        False, description="For lack of seats: the application passes to the next preference"
    )


class AdmitIn(Schema):
    section: Id
    admitted_on: Day | None = None


class SeatPlanIn(Schema):
    academic_year: Id
    grade: Grade
    seats: int = Field(ge=0, le=5000)


class ClassSeatsOut(Schema):
    grade: int
    seats: int | None
    on_roll: int
    admitted: int
    waiting: int
    left: int | None


class PreferenceOut(Schema):
    rank: int
    school: int
    school_name: str
    outcome: str


class ApplicationEventOut(Schema):
    status: StatusName
    school: int
    by: str
    note: str
    at: dt.datetime


class AdmissionDocumentOut(Schema):
    kind: DocumentKind
    name: str
    media_type: str
    size: int


class ApplicationSummaryOut(Schema):
    id: int
    reference: str
    status: StatusName
    school: int
    school_name: str
    academic_year: int
    grade: int
    child_name: str
    date_of_birth: dt.date
    submitted_on: dt.date


class ApplicationOut(ApplicationSummaryOut):
    child_name_local: str
    gender: str
    state_id: str
    guardian_name: str
    guardian_name_local: str
    guardian_phone: str
    guardian_email: str
    relation: str
    address: str
    correction_note: str
    refusal_reason: str
    admission_no: str | None
    preferences: list[PreferenceOut]
    events: list[ApplicationEventOut]
    documents: list[AdmissionDocumentOut]


class ApplicationListOut(Schema):
    applications: list[ApplicationSummaryOut]


class SchoolQueueOut(Schema):
    school: int
    academic_year: int
    seats: list[ClassSeatsOut]
    applications: list[ApplicationSummaryOut]


class SchoolToApplyOut(Schema):
    id: int
    code: str
    name: str
    name_local: str
    lowest_grade: int
    highest_grade: int


class SchoolsToApplyOut(Schema):
    schools: list[SchoolToApplyOut]


def summary_out(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "reference": application.reference,
        "status": application.status,
        "school": application.school_id,
        "school_name": application.school.name,
        "academic_year": application.academic_year_id,
        "grade": application.grade,
        "child_name": application.child_name,
        "date_of_birth": application.date_of_birth,
        "submitted_on": application.submitted_on,
    }


def application_out(application: Application) -> dict[str, Any]:
    admission = application.admission
    return {
        **summary_out(application),
        **{
            name: getattr(application, name)
            for name in (
                "child_name_local",
                "gender",
                "state_id",
                "guardian_name",
                "guardian_name_local",
                "guardian_phone",
                "guardian_email",
                "relation",
                "address",
                "correction_note",
                "refusal_reason",
            )
        },
        "admission_no": admission.admission_no if admission is not None else None,
        "preferences": [
            {
                "rank": p.rank,
                "school": p.school_id,
                "school_name": p.school.name,
                "outcome": p.outcome,
            }
            for p in selectors.preferences(application)
        ],
        "events": [
            {
                "status": e.status,
                "school": e.school_id,
                "by": selectors.actor_label(e),
                "note": e.note,
                "at": e.at,
            }
            for e in selectors.events(application)
        ],
        "documents": [
            {"kind": d.kind, "name": d.name, "media_type": d.media_type, "size": d.size}
            for d in selectors.documents(application)
        ],
    }
