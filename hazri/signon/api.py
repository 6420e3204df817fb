"""Personal invitations over the API: the school's head and administrator (Action.ADMIT)
issue, list and withdraw them; anyone holding a code redeems it for a new account."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from hazri.common.api import ErrorOut, Id, PathId, QueryId, Text, request_user
from hazri.signon import selectors
from hazri.signon import services as svc
from hazri.signon.guard import guarded
from hazri.signon.services.invitations import Issued

router = Router(tags=["signon"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class InvitationOut(Schema):
    id: int
    kind: str
    name: str = Field(description="The guardian's, staff member's or student's name")
    section: str = Field(description="The class it was issued for, as 5 A; empty for staff")
    state: Literal["live", "used", "expired", "revoked"]
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None


class IssuedInvitationOut(Schema):
    invitation: InvitationOut
    code: str = Field(description="Shown only now: only its digest is stored")
    link: str


class InvitationIn(Schema):
    kind: Literal["guardian", "staff", "student"]
    target: Id = Field(description="The guardian's, staff member's or student's id")


class SectionInvitationsIn(Schema):
    kind: Literal["guardian", "student"] = Field(
        description="Every child's guardians (one each), or every child as a student"
    )


class IssuedInvitationsOut(Schema):
    issued: list[IssuedInvitationOut]


class RedeemIn(Schema):
    code: Text = Field(max_length=40, description="As on the slip: ABCDE-FGHJK")
    username: Text = Field(max_length=150)
    password: Text = Field(max_length=128)


class RedeemedOut(Schema):
    kind: str
    username: str


def _out(request: HttpRequest, issued: Issued) -> dict[str, Any]:
    return {
        "invitation": selectors.invitation_row(issued.invitation),
        "code": issued.code,
        "link": request.build_absolute_uri(reverse("invite", args=[issued.code])),
    }


@router.post(
    "/schools/{school_id}/invitations",
    response={201: IssuedInvitationOut, **ERRORS},
    summary="Issue one invitation",
)
def invitation_issue(request: HttpRequest, school_id: PathId, payload: InvitationIn) -> Status:
    user = request_user(request)
    school = selectors.school_for_invitations(user, school_id)
    target = selectors.target_by_id(payload.kind, payload.target)
    issued = svc.invitation_issue(by=user, school=school, kind=payload.kind, target=target)
    return Status(201, _out(request, issued))


@router.post(
    "/sections/{section_id}/invitations",
    response={201: IssuedInvitationsOut, **ERRORS},
    summary="Issue a section's invitations",
)
def invitations_issue(
    request: HttpRequest, section_id: PathId, payload: SectionInvitationsIn
) -> Status:
    user = request_user(request)
    section = selectors.section_for_invitations(user, section_id)
    issued = svc.invitations_issue_for_section(by=user, section=section, kind=payload.kind)
    return Status(201, {"issued": [_out(request, one) for one in issued]})


class InvitationsQuery(Schema):
    section: QueryId | None = None


@router.get(
    "/schools/{school_id}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    summary="A school's invitations (never their codes)",
)
def invitations_list(
    request: HttpRequest, school_id: PathId, query: Query[InvitationsQuery]
) -> Any:
    school = selectors.school_for_invitations(request_user(request), school_id)
    return selectors.invitations_of_school(school, section_id=query.section)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **ERRORS},
    summary="Withdraw an invitation",
)
def invitation_revoke(request: HttpRequest, invitation_id: PathId) -> Any:
    user = request_user(request)
    invitation = selectors.invitation_for_admin(user, invitation_id)
    invitation = svc.invitation_revoke(by=user, invitation=invitation)
    return selectors.invitation_row(invitation)


@router.post(
    "/invitations/redeem",
    auth=None,
    response={201: RedeemedOut, **ERRORS, 429: ErrorOut},
    summary="Redeem an invitation for a new account",
)
def invitation_redeem(request: HttpRequest, payload: RedeemIn) -> Status:
    invitation = guarded(
        request,
        lambda: svc.invitation_redeem_with_password(
            code=payload.code, username=payload.username, password=payload.password
        ),
    )
    assert invitation.used_by is not None
    return Status(201, {"kind": invitation.kind, "username": invitation.used_by.username})
