"""Log a device in and out, and say who the caller is and where they may act."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from hazri.accounts import selectors as access
from hazri.accounts import services
from hazri.common.api import ErrorOut, Text
from hazri.org import selectors as org

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: Text = Field(max_length=150)
    password: Text = Field(max_length=128)
    device_name: Text = Field("device", max_length=100)


class TokenOut(Schema):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once.")
    username: str


class SchoolRef(Schema):
    id: int
    name: str
    name_local: str
    role: str | None
    timezone: str
    start_time: str
    today: str


class ChildRef(Schema):
    id: int = Field(description="The student's id: /students/{id}/attendance")
    name: str
    name_local: str
    relation: str = Field(description="'child' (you are a guardian) or 'self' (a student)")
    school: int | None = Field(description="Where they are on the roll; null before any")
    school_name: str
    section: int | None
    section_label: str


class MeOut(Schema):
    username: str
    full_name: str
    language: str
    schools: list[SchoolRef]
    officer_of: list[str]
    children: list[ChildRef] = Field(
        description="The students whose attendance you follow: your children, or yourself"
    )


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Log a device in",
    description=(
        "403: a wrong username or password (code bad_credentials), or a role that signs "
        "in with the state's single sign-on only (code use_sso). 429: too many failed "
        "logins for this username or from this address (code locked): send again after "
        "the Retry-After header's seconds; even the right password is refused until then."
    ),
)
def issue_token(request: HttpRequest, payload: TokenIn) -> Status:
    token, key = services.device_token_issue(
        request=request,
        username=payload.username,
        password=payload.password,
        device_name=payload.device_name,
    )
    return Status(201, {"token": key, "username": token.user.username})


@router.delete("/auth/token", response={204: None, 401: ErrorOut}, summary="Log this device out")
def revoke_token(request: HttpRequest) -> Status:
    token = getattr(request, "device", None)
    if token is not None:
        services.device_token_revoke(token=token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who am I, and where may I act")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    schools = []
    for school in access.schools_posted_to(user).order_by("name", "pk"):
        today = org.school_today(school, now)
        schools.append(
            {
                "id": school.pk,
                "name": school.name,
                "name_local": school.name_local,
                "role": access.posting_role(user, school, today),
                "timezone": school.timezone,
                "start_time": school.start_time.strftime("%H:%M"),
                "today": today.isoformat(),
            }
        )
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),  # type: ignore[union-attr]
        "language": user.language,  # type: ignore[union-attr]
        "schools": schools,
        "officer_of": [g.unit.name for g in user.officer_grants.select_related("unit")],  # type: ignore[union-attr]
        "children": [child_ref(member) for member in access.family_of(user)],
    }


def child_ref(member: access.FamilyMember) -> dict[str, Any]:
    enrolment = member.enrolment
    return {
        "id": member.student.pk,
        "name": member.student.name,
        "name_local": member.student.name_local,
        "relation": member.relation,
        "school": enrolment.school_id if enrolment else None,
        "school_name": enrolment.school.name if enrolment else "",
        "section": enrolment.section_id if enrolment else None,
        "section_label": enrolment.section.label if enrolment else "",
    }
