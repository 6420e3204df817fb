"""The notices API: a guardian's preferences, notices and push subscriptions, and a
school's delivery log (its head and the officers over it)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from hazri.common.api import Day, ErrorOut, PathId, request_user
from hazri.notify import preferences, selectors
from hazri.notify.invitations import invitations_send
from hazri.notify.models import Status as NoticeStatus
from hazri.notify.presenters import notice_out, parse_hhmm, prefs_out
from hazri.notify.schemas import (
    InvitationsSendIn,
    InvitationsSentOut,
    NotifyPrefsIn,
    NotifyPrefsOut,
    PushEndpointIn,
    PushSubscriptionIn,
    SchoolNoticesOut,
    SentNoticeOut,
)
from hazri.signon.selectors import section_for_invitations

router = Router(tags=["notify"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


@router.get(
    "/notices/preferences",
    response={200: NotifyPrefsOut, **ERRORS},
    summary="How the signed-in guardian is told (the defaults until they choose)",
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return prefs_out(selectors.guardian_of(request_user(request)))


@router.put(
    "/notices/preferences",
    response={200: NotifyPrefsOut, **ERRORS},
    summary="Choose channels, language and quiet hours",
)
def put_preferences(request: HttpRequest, payload: NotifyPrefsIn) -> dict[str, Any]:
    guardian = selectors.guardian_of(request_user(request))
    preferences.preference_set(
        guardian=guardian,
        channels=list(payload.channels),
        language=payload.language,
        quiet_start=parse_hhmm(payload.quiet_start),
        quiet_end=parse_hhmm(payload.quiet_end),
    )
    return prefs_out(guardian)


@router.get(
    "/notices",
    response={200: list[SentNoticeOut], **ERRORS},
    summary="The signed-in guardian's latest notices, with every try to send each",
)
def get_my_notices(request: HttpRequest) -> list[dict[str, Any]]:
    guardian = selectors.guardian_of(request_user(request))
    return [notice_out(n) for n in selectors.family_notices(guardian)]


@router.post(
    "/notices/push-subscriptions",
    response={201: NotifyPrefsOut, **ERRORS},
    summary="Notify this phone: keep the browser's Web Push subscription",
)
def post_push_subscription(
    request: HttpRequest, payload: PushSubscriptionIn
) -> Status[dict[str, Any]]:
    guardian = selectors.guardian_of(request_user(request))
    preferences.push_subscribe(
        guardian=guardian,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
    )
    return Status(201, prefs_out(guardian))


@router.delete(
    "/notices/push-subscriptions",
    response={200: NotifyPrefsOut, **ERRORS},
    summary="Stop notifying this phone",
)
def delete_push_subscription(request: HttpRequest, payload: PushEndpointIn) -> dict[str, Any]:
    guardian = selectors.guardian_of(request_user(request))
    preferences.push_unsubscribe(guardian=guardian, endpoint=payload.endpoint)
    return prefs_out(guardian)


@router.get(
    "/schools/{school_id}/notices",
    response={200: SchoolNoticesOut, **ERRORS},
    summary="The school's notices to families, their delivery states and failures",
)
def get_school_notices(
    request: HttpRequest,
    school_id: PathId,
    status: NoticeStatus | None = None,
    day: Day | None = None,
) -> dict[str, Any]:
    school = selectors.school_for_log(request_user(request), school_id)
    log = selectors.school_log(school, status=status, day=day)
    return {
        "school": school.pk,
        "counts": log.counts,
        "notices": [notice_out(n) for n in log.notices],
    }


@router.post(
    "/sections/{section_id}/invitations/send",
    response={201: InvitationsSentOut, **ERRORS},
    summary="Send the class's invitations to the parents by SMS or e-mail",
)
def post_invitations_send(
    request: HttpRequest, section_id: PathId, payload: InvitationsSendIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    section = section_for_invitations(user, section_id)
    sent = invitations_send(
        by=user,
        section=section,
        guardian_id=payload.guardian,
        link_of=lambda code: request.build_absolute_uri(reverse("invite", args=[code])),
    )
    return Status(
        201,
        {
            "queued": sent.queued,
            "not_sent": [
                {"guardian": n.guardian_id, "name": n.name, "reason": n.reason}
                for n in sent.not_sent
            ],
        },
    )
