"""Sending a class's invitations through the notice channels (SPEC §5.6: "a school prints
or sends them in bulk").

The invitations are signon's (issued by its services: issuing again withdraws the older
live one, as printing does); each is told to its guardian by one `Notice` of kind
`invitation` carrying the code and the slip's link, delivered like every notice through
the guardian's channels (SMS to the phone on record by default). The code stays in the
notice only until it is sent (`queue.forget_secrets`). A guardian with no phone and no
e-mail gets no invitation: the school prints a slip instead.

The caller has been allowed to admit at the school (signon's
`selectors.section_for_invitations`).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from hazri.audit.services import audit_record
from hazri.common.errors import NotFound
from hazri.notify.models import Kind, Notice, Status
from hazri.notify.queue import NewNotice, forget_secrets, notices_add
from hazri.org.models import Section
from hazri.people.models import Guardian
from hazri.signon.selectors import guardians_to_invite
from hazri.signon.services import invitations_issue_for_section

NO_ADDRESS = "no_address"


@dataclass(frozen=True)
class NotSent:
    guardian_id: int
    name: str
    reason: str  # NO_ADDRESS


@dataclass
class SentInvitations:
    queued: int = 0
    not_sent: list[NotSent] = field(default_factory=list)


def reachable(guardian: Guardian) -> bool:
    """Whether a notice can reach the guardian: a phone or an e-mail on record."""
    return bool(guardian.phone.strip() or guardian.email.strip())


def _cancel_older(school_id: int, guardian_ids: list[int]) -> None:
    """An older invitation notice still waiting holds a withdrawn code: not sent, and
    its code forgotten."""
    waiting = Notice.objects.filter(
        school_id=school_id,
        kind=Kind.INVITATION,
        guardian_id__in=guardian_ids,
        status=Status.PENDING,
    )
    for notice in waiting:
        Notice.objects.filter(pk=notice.pk, status=Status.PENDING).update(
            status=Status.CANCELLED, params=forget_secrets(notice.params)
        )


@transaction.atomic
def invitations_send(
    *,
    by: Any,
    section: Section,
    link_of: Callable[[str], str],
    guardian_id: int | None = None,
    now: dt.datetime | None = None,
) -> SentInvitations:
    """Issues the invitations of the section's guardians without an account (or of one
    of them) and queues one notice to each; `link_of(code)` is the slip's link."""
    links = guardians_to_invite(section)
    if guardian_id is not None:
        links = [link for link in links if link.guardian_id == guardian_id]
        if not links:
            raise NotFound(
                f"No guardian {guardian_id} without an account in class {section.label}.",
                field="guardian",
            )
    result = SentInvitations()
    to_send = set()
    for link in links:
        if reachable(link.guardian):
            to_send.add(link.guardian_id)
        else:
            result.not_sent.append(NotSent(link.guardian_id, link.guardian.name, NO_ADDRESS))
    school = section.school
    if not to_send:
        _audit(by, section, result)
        return result
    issued = invitations_issue_for_section(by=by, section=section, kind="guardian", only=to_send)
    _cancel_older(school.pk, sorted(to_send))
    child = {link.guardian_id: link.student for link in links}
    new = []
    for one in issued:
        invitation = one.invitation
        assert invitation.guardian_id is not None
        student = child[invitation.guardian_id]
        new.append(
            NewNotice(
                school_id=school.pk,
                kind=Kind.INVITATION,
                guardian_id=invitation.guardian_id,
                student_id=student.pk,
                key=f"invitation:{invitation.pk}",
                params={
                    "code": one.code,
                    "link": link_of(one.code),
                    "child": student.name,
                    "child_local": student.name_local or student.name,
                    "school": school.name,
                    "school_local": school.name_local or school.name,
                    "invitation": invitation.pk,
                },
            )
        )
    result.queued = notices_add(new, now=now or timezone.now())
    _audit(by, section, result)
    return result


def _audit(by: Any, section: Section, result: SentInvitations) -> None:
    audit_record(
        user=by,
        action="invitation.send_section",
        obj=section,
        school_id=section.school_id,
        detail={"queued": result.queued, "not_sent": [n.guardian_id for n in result.not_sent]},
    )
