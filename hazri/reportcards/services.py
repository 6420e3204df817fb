"""Writes of report cards: a section's cards issued (and signed) for a term or the
year, a reissue as a new version that revokes the old, the class teacher's remark, and
an area's rank policy."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import Action, actor_of, require_role
from hazri.audit.services import audit_record
from hazri.common.errors import Forbidden, Invalid
from hazri.journal.models import Term
from hazri.journal.selectors import journal_access as who
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, Section
from hazri.people.models import Student
from hazri.people.selectors import section_roll
from hazri.reportcards import rules, selectors, signing
from hazri.reportcards.models import CardRemark, RankPolicy, ReportCard

REMARK_MAX = 600


@transaction.atomic(durable=True)
def cards_issue(*, section: Section, term: Term | None, by: Any) -> list[ReportCard]:
    """Every student on the section's roll gets a signed card for the term (None: the
    year). A student who already has one gets a new version; the old one is kept,
    marked not current and revoked (its credential too) — nothing is overwritten."""
    require_role(actor_of(by), Action.ISSUE, section.school, section=section)
    period = rules.period_key(term.pk if term else None)
    facts = selectors.section_facts(section, term)
    if not facts:
        raise Invalid(
            _("Section %(section)s has nobody on its roll.") % {"section": section.label},
            field="section",
            code="empty_roll",
        )
    now = timezone.now()
    previous = {
        card.student_id: card
        # Only the cards are locked: a card not yet signed has no credential to join.
        for card in ReportCard.objects.select_for_update(of=("self",))
        .select_related("credential")
        .filter(school_id=section.school_id, section=section, period=period, is_current=True)
    }
    if previous:
        ReportCard.objects.filter(pk__in=[c.pk for c in previous.values()]).update(
            is_current=False, revoked_at=now, revoked_by=by
        )
        for replaced in previous.values():
            signing.card_revoke(card=replaced, by=by)
    students = Student.objects.in_bulk([f.student_id for f in facts])
    issued = []
    for card_facts in facts:
        old = previous.get(card_facts.student_id)
        card = ReportCard.objects.create(
            school=section.school,
            section=section,
            student=students[card_facts.student_id],
            academic_year_id=section.academic_year_id,
            term=term,
            period=period,
            version=old.version + 1 if old else 1,
            facts=card_facts.to_json(),
            issued_by=by,
            issued_at=now,
        )
        signing.card_sign(card=card, facts=card_facts, by=by)
        issued.append(card)
    audit_record(
        user=by,
        action="reportcards.issue",
        obj=section,
        school_id=section.school_id,
        detail={"period": period, "cards": len(issued), "reissued": len(previous)},
    )
    return issued


@transaction.atomic(durable=True)
def card_remark_write(
    *, section: Section, student_id: int, term: Term | None, text: str, by: Any
) -> CardRemark:
    """The class teacher's (or the head's) remark for a student's card; a change is a
    new version. It is printed on cards issued after it."""
    day = org.school_today(section.school)
    who.require_reviewer(actor_of(by), section, day)
    text = text.strip()
    if not text:
        raise Invalid(_("Write the remark."), field="text", code="required")
    if len(text) > REMARK_MAX:
        raise Invalid(
            _("The remark is longer than %(n)s characters.") % {"n": REMARK_MAX}, field="text"
        )
    _start, _end, upto = selectors.span(section, term)
    if student_id not in {m.id for m in section_roll(section, upto)}:
        raise Invalid(
            _("Student %(id)s is not on the roll of %(section)s.")
            % {"id": student_id, "section": section.label},
            field="student",
            code="not_on_roll",
        )
    period = rules.period_key(term.pk if term else None)
    old = (
        CardRemark.objects.select_for_update()
        .filter(
            school_id=section.school_id,
            section=section,
            student_id=student_id,
            period=period,
            is_current=True,
        )
        .first()
    )
    if old is not None:
        old.is_current = False
        old.save(update_fields=["is_current"])
    return CardRemark.objects.create(
        school_id=section.school_id,
        section=section,
        student_id=student_id,
        term=term,
        period=period,
        text=text,
        version=old.version + 1 if old else 1,
        written_by=by,
        written_at=timezone.now(),
    )


@transaction.atomic
def rank_policy_set(*, unit: OrgUnit, show_rank: bool, by: Any) -> RankPolicy:
    """Whether the area's report cards show rank: the state's (or a superuser's) choice."""
    actor = actor_of(by)
    if not (actor.is_superuser or (unit.depth == 0 and actor.officer_over(unit.path))):
        raise Forbidden(
            _("Only the state's officers decide whether report cards show rank."),
            field="unit",
            code="not_state_officer",
        )
    policy, _created = RankPolicy.objects.update_or_create(
        unit=unit, defaults={"show_rank": show_rank, "set_by": by, "set_at": timezone.now()}
    )
    return policy
