"""What the faces services, selectors and views share: limits and who may do what."""

import datetime as dt
from typing import Any

from hazri.accounts.access import Action, Actor, Role, actor_of
from hazri.common.errors import Forbidden
from hazri.org import selectors as org
from hazri.org.models import School, Section

MAX_PHOTO_BYTES = 12 * 1024 * 1024  # a 50 MP phone photo in JPEG is 10-12 MB
MAX_REFERENCE_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6
MAX_CHUNK = 1024 * 1024  # what the app sends per request; a cut one resumes at its offset
MAX_UPLOADED_REFERENCES = 5
MAX_CONFIRMED_REFERENCES = 5  # faces added from daily photos: the newest kept


def may_manage_faces(actor: Actor, school: School, section: Section | None, day: dt.date) -> bool:
    """A student's consent and reference faces: the school's head or administrator
    (people services), or a teacher who may mark the student's section."""
    if actor.may(Action.ADMIT, school, day=day) not in (None, Role.SUPERUSER):
        return True
    if section is None:
        return False
    scope = org.policy_for_school(school).marking_scope
    return actor.may(Action.MARK, school, section=section, day=day, marking_scope=scope) is not None


def require_face_manager(user: Any, school: School, section: Section | None, day: dt.date) -> None:
    if not may_manage_faces(actor_of(user), school, section, day):
        raise Forbidden(
            "Only the school's head or administrator, or a teacher of the student's class, "
            "may record consent and reference faces.",
            field="student",
            code="not_face_manager",
        )


def is_guardian_of(actor: Actor, student_id: int) -> bool:
    """A guardian gives or withdraws consent for their own child themselves."""
    return student_id in actor.children


def require_consent_giver(
    user: Any, school: School, section: Section | None, student_id: int, day: dt.date
) -> bool:
    """Who may record or withdraw a consent: the child's guardian (True: as the
    parent), or a face manager (False); else Forbidden."""
    actor = actor_of(user)
    if is_guardian_of(actor, student_id):
        return True
    require_face_manager(user, school, section, day)
    return False
