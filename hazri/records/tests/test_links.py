"""Every new page is reachable: each link shown only to who may follow it."""

import pytest
from django.test import Client
from django.urls import reverse

from hazri.testing.world import World

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_school_page_links_the_head_to_admissions_tcs_cards_and_year_end(
    world: World,
) -> None:
    school, section = world.school, world.section
    page = signed_in(world.ravi).get(reverse("school_day", args=[school.pk])).content.decode()
    for name, args in (
        ("admissions_queue", [school.pk]),
        ("records_tc_admit", [school.pk]),
        ("credentials_school", [school.pk]),
        ("reportcards_section", [section.pk]),
        ("records_year_end", [section.pk]),
    ):
        assert f'href="{reverse(name, args=args)}"' in page, name
    # Each link leads to a page the head may open.
    head = signed_in(world.ravi)
    for url in (
        reverse("admissions_queue", args=[school.pk]),
        reverse("records_tc_admit", args=[school.pk]),
        reverse("records_year_end", args=[section.pk]),
    ):
        assert head.get(url).status_code == 200, url


def test_a_teacher_sees_no_link_to_admitting_or_year_end(world: World) -> None:
    page = signed_in(world.asha).get(reverse("school_day", args=[world.school.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("admissions_queue", args=[world.school.pk]) not in text
    assert reverse("records_tc_admit", args=[world.school.pk]) not in text
    assert reverse("records_year_end", args=[world.section.pk]) not in text
    assert reverse("reportcards_section", args=[world.section.pk]) in text
    cards = reverse("reportcards_section", args=[world.section.pk])
    assert signed_in(world.asha).get(cards).status_code == 200


def test_the_year_end_page_leads_to_each_childs_record_and_its_tc(world: World) -> None:
    head = signed_in(world.ravi)
    year_end = head.get(reverse("records_year_end", args=[world.section.pk])).content.decode()
    child = world.students[0]
    assert f'href="{reverse("records_record", args=[child.pk])}"' in year_end
    record = head.get(reverse("records_record", args=[child.pk])).content.decode()
    assert f'href="{reverse("records_tc_issue", args=[child.pk])}"' in record
    assert f'href="{reverse("reportcards_student", args=[child.pk])}"' in record


def test_the_family_page_links_each_child_s_record_cards_and_admission(world: World) -> None:
    parent = signed_in(world.imran)
    child = world.students[1]
    page = parent.get(reverse("family")).content.decode()
    for url in (
        reverse("records_record", args=[child.pk]),
        reverse("reportcards_student", args=[child.pk]),
        reverse("admissions_home"),
    ):
        assert f'href="{url}"' in page, url
        assert parent.get(url).status_code == 200, url
    assert reverse("records_record", args=[world.students[0].pk]) not in page


def test_the_login_page_links_the_public_verify_page(db: None) -> None:
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("credentials_verify")}"' in page
    assert Client().get(reverse("credentials_verify")).status_code == 200
