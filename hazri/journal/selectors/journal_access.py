"""Who may keep or read a section's journal: the head and the teachers of a subject
keep it; the class teacher (an assignment with no subject) reads the whole class and
reviews held concerns; after a term is closed only the head changes its grades."""

import datetime as dt

from django.utils.translation import gettext as _

from hazri.accounts.access import Action, Actor, Role
from hazri.common.errors import Forbidden
from hazri.journal.models import Term
from hazri.org.models import Section, Subject


def is_class_teacher(actor: Actor, section: Section, day: dt.date) -> bool:
    """The section's class teacher on the day (an assignment with no subject)."""
    return any(
        a.section_id == section.pk and a.subject_id is None and a.covers(day)
        for a in actor.assignments
    )


def may_grade(actor: Actor, section: Section, subject_id: int, day: dt.date) -> bool:
    """The head, or a teacher of this subject in this section on the day."""
    return (
        actor.may(Action.GRADE, section.school, section=section, subject_id=subject_id, day=day)
        is not None
    )


def require_grader(actor: Actor, section: Section, subject: Subject, day: dt.date) -> None:
    if not may_grade(actor, section, subject.pk, day):
        raise Forbidden(
            _(
                "You do not teach %(subject)s in %(section)s: only its teachers and the head keep its journal."
            )
            % {"subject": subject.name, "section": section.label},
            field="subject",
            code="not_teacher",
        )


def may_read(actor: Actor, section: Section, subject_id: int, day: dt.date) -> bool:
    """A subject's journal: its teachers, the head, and the class teacher (the whole class)."""
    return may_grade(actor, section, subject_id, day) or is_class_teacher(actor, section, day)


def may_review(actor: Actor, section: Section, day: dt.date) -> bool:
    """The class teacher, or the head: the whole class, held concerns."""
    return (
        is_class_teacher(actor, section, day) or actor.role_at(section.school_id, day) == Role.HEAD
    )


def require_reviewer(actor: Actor, section: Section, day: dt.date) -> None:
    if not may_review(actor, section, day):
        raise Forbidden(
            _("Only the class teacher of %(section)s and the head can do this.")
            % {"section": section.label},
            field="section",
            code="not_class_teacher",
        )


def require_open_term(actor: Actor, term: Term) -> None:
    """After a term is closed only the head adds or changes its grades."""
    if term.closed_at is not None and actor.role_at(term.school_id) != Role.HEAD:
        raise Forbidden(
            _("Term %(term)s is closed: only the head can change its grades.")
            % {"term": term.name},
            field="term",
            code="term_closed",
        )
