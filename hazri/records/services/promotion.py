"""Year end: a whole section carried into next session by its recorded results."""

from django.db import transaction

from hazri.accounts.access import Action, actor_of, require_role
from hazri.accounts.models import User
from hazri.common.errors import Conflict, Invalid
from hazri.org.models import Section
from hazri.people.models import Enrolment
from hazri.people.services import section_promote
from hazri.records.yearend import YearEnd, year_end


def year_end_promote(
    *,
    section: Section,
    by: User,
    to: Section | None = None,
    repeat_in: Section | None = None,
) -> tuple[YearEnd, list[Enrolment]]:
    """Promote the section's roll into next session by each child's current result
    (records.rules): passed up to `to`, supplementary up to `to` first on its roll,
    failed or absent into `repeat_in` (the same class) as repeaters. Refused while a
    child has no result, or next session's sections are missing or the wrong class."""
    require_role(actor_of(by), Action.ADMIT, section.school, section=section, field="section")
    plan = year_end(section, to=to, repeat_in=repeat_in)
    _check(plan)
    assert plan.to is not None
    repeaters = plan.placed("repeat")
    with transaction.atomic(durable=True):
        made = section_promote.nested(
            section=section,
            to=plan.to,
            by=by,
            repeaters=repeaters,
            repeat_in=plan.repeat_in if repeaters else None,
            supplementary=plan.placed("promote_first"),
        )
    return plan, made


def _check(plan: YearEnd) -> None:
    section = plan.section
    if not plan.children:
        raise Invalid(
            f"Nobody is on the roll of {section.label} at the end of the session.",
            field="section",
            code="empty_roll",
        )
    if plan.already_promoted:
        raise Conflict(
            f"The roll of {section.label} has already been carried into next session.",
            field="section",
            code="already_promoted",
        )
    if missing := plan.missing:
        names = ", ".join(child.name for child in missing)
        raise Invalid(
            f"No session result is recorded for {names}: record every result first.",
            field="results",
            code="results_missing",
        )
    if plan.to is None:
        if not plan.choices_to:
            raise Conflict(
                f"Next session has no class {section.grade + 1} at this school yet: create it first.",
                field="to",
                code="next_year_missing",
            )
        raise Invalid("Choose the section of the next class.", field="to", code="required")
    _same_school_next_year(plan, plan.to, section.grade + 1, "to")
    if plan.placed("repeat"):
        if plan.repeat_in is None:
            if not plan.choices_repeat:
                raise Conflict(
                    f"Next session has no class {section.grade} at this school for the "
                    "children who repeat it: create it first.",
                    field="repeat_in",
                    code="next_year_missing",
                )
            raise Invalid(
                "Choose the section the repeaters stay in.", field="repeat_in", code="required"
            )
        _same_school_next_year(plan, plan.repeat_in, section.grade, "repeat_in")


def _same_school_next_year(plan: YearEnd, target: Section, grade: int, field: str) -> None:
    choices = plan.choices_to if field == "to" else plan.choices_repeat
    if target.pk not in {s.pk for s in choices} or target.grade != grade:
        raise Invalid(
            f"Section {target.label} is not class {grade} of this school's next session.",
            field=field,
            code="wrong_section",
        )
