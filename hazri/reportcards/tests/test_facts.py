"""The card's figures from a known world (rc_world's table), and the pure rules."""

from decimal import Decimal

import pytest

from hazri.accounts.models import User
from hazri.reportcards import rules
from hazri.reportcards.models import CardRemark
from hazri.reportcards.selectors import section_facts
from hazri.reportcards.services import card_remark_write, rank_policy_set
from hazri.reportcards.tests.rc_world import card_world


def test_ranks_share_ties_and_skip() -> None:
    means = {1: Decimal(90), 2: Decimal(90), 3: Decimal(60), 4: Decimal(80), 5: None}
    assert rules.ranks(means) == {1: 1, 2: 1, 4: 3, 3: 4}
    assert rules.ranks({}) == {}
    assert rules.ranks({7: None}) == {}


def test_mean_points_rounds_half_up() -> None:
    assert rules.mean_points([Decimal("80"), Decimal("85.01")]) == Decimal("82.51")
    assert rules.mean_points([Decimal("1"), Decimal("0.01")]) == Decimal("0.51")  # 0.505
    assert rules.mean_points([]) is None


def test_the_nearest_policy_up_the_tree_decides() -> None:
    assert rules.shows_rank({}, "/1/2/3/") is False
    assert rules.shows_rank({"/1/": True}, "/1/2/3/") is True
    assert rules.shows_rank({"/1/": True, "/1/2/": False}, "/1/2/3/") is False
    assert rules.shows_rank({"/1/": True}, "/10/2/") is False  # not /1/'s child
    assert rules.period_key(None) == "year" and rules.period_key(7) == "term-7"


@pytest.mark.django_db
def test_a_term_card_has_the_term_grades_attendance_and_visible_remarks(world) -> None:
    made = card_world(world)
    cards = {c.student_id: c for c in section_facts(world.section, made.journal.term1)}
    assert len(cards) == 5
    zoya = cards[made.zoya.pk]
    assert [
        (line.subject, line.value) for line in sorted(zoya.subjects, key=lambda x: x.subject)
    ] == [
        ("English", "5"),
        ("Mathematics", "4"),
    ]
    assert (zoya.held, zoya.attended, zoya.percent) == (3, 1, "33.3")
    assert [(m.month, m.held, m.attended) for m in zoya.months] == [("2026-09", 3, 1)]
    assert zoya.remarks == ["Helps others"]  # not the held one
    assert zoya.rank is None  # off by default
    kabir = cards[made.kabir.pk]
    assert (kabir.held, kabir.attended) == (3, 3)  # D counts as attended
    assert cards[made.diya.pk].subjects[0].value == ""
    assert zoya.result == ""  # a term card carries no session result
    assert zoya.term == "Term 1" and zoya.student_local == "ज़ोया ख़ान"


@pytest.mark.django_db
def test_rank_where_the_state_wants_it(world) -> None:
    made = card_world(world)
    root = User.objects.create_superuser("root", password="x")
    rank_policy_set(unit=world.state, show_rank=True, by=root)
    cards = {c.student_id: c for c in section_facts(world.section, made.journal.term1)}
    got = {
        s: (cards[s.pk].rank, cards[s.pk].of)
        for s in (made.aarav, made.zoya, made.kabir, made.bhavna, made.diya)
    }
    assert got == {
        made.aarav: (1, 4),
        made.zoya: (1, 4),
        made.kabir: (3, 4),
        made.bhavna: (4, 4),
        made.diya: (None, None),
    }
    rank_policy_set(unit=world.state, show_rank=False, by=root)
    assert all(c.rank is None for c in section_facts(world.section, made.journal.term1))


@pytest.mark.django_db
def test_a_year_card_has_each_terms_grade_the_final_and_the_result(world) -> None:
    made = card_world(world)
    cards = {c.student_id: c for c in section_facts(world.section, None)}
    aarav = cards[made.aarav.pk]
    maths = next(line for line in aarav.subjects if line.subject == "Mathematics")
    assert aarav.term_names == ["Term 1", "Term 2"]
    assert (maths.terms, maths.value) == (["5", ""], "5")
    assert (aarav.result, aarav.result_percentage) == ("passed", "91.50")
    assert cards[made.zoya.pk].result == "supplementary"
    assert cards[made.bhavna.pk].result == ""


@pytest.mark.django_db
def test_the_class_teachers_remark_is_versioned_and_printed(world) -> None:
    made = card_world(world)
    term = made.journal.term1
    card_remark_write(
        section=world.section, student_id=made.zoya.pk, term=term, text=" Kind ", by=world.asha
    )
    card_remark_write(
        section=world.section,
        student_id=made.zoya.pk,
        term=term,
        text="Kind and careful",
        by=world.asha,
    )
    versions = list(CardRemark.objects.filter(student=made.zoya).order_by("version"))
    assert [(r.version, r.is_current, r.text) for r in versions] == [
        (1, False, "Kind"),
        (2, True, "Kind and careful"),
    ]
    cards = {c.student_id: c for c in section_facts(world.section, term)}
    assert cards[made.zoya.pk].teacher_remark == "Kind and careful"
    assert cards[made.aarav.pk].teacher_remark == ""
