"""The journal's pages: the teacher's day, a lesson's one form, a subject's sheet and
the class teacher's view; their query counts do not grow from a class of 5 to 30;
and a subject teacher keeps a lesson on a 360 px phone in a real browser."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import Browser

from hazri.accounts.models import User
from hazri.accounts.tests.matrix_rules import NOW
from hazri.attendance.services import Capture, rollcall_submit
from hazri.journal.models import Grade, Homework, Lesson, Remark
from hazri.journal.services import grades, remarks
from hazri.people.selectors import section_roll
from hazri.registers.tests.test_browser import PHONE, log_in, open_page
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World, build_world

from .journal_fixtures import DAY, Journal, journal_world, more_students

pytestmark = pytest.mark.django_db
LESSON = "/journal/sections/{section}/lessons/2026-11-18/1/"


def _farah(j: Journal) -> Client:
    client = Client()
    client.force_login(j.farah)
    return client


def _form(client: Client, url: str) -> dict[str, str]:
    """The hidden UUIDs the page gave its form."""
    html = client.get(url).content.decode()
    return dict(re.findall(r'name="([a-z_]*uuid[a-z_0-9]*)" value="([0-9a-f-]{36})"', html))


def test_the_teachers_day_lists_her_lessons_with_their_state(world: World) -> None:
    j = journal_world(world)
    client = _farah(j)
    page = client.get("/journal/?day=2026-11-18")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mathematics · 5 A" in html and "English ·" not in html and "No topic yet" in html
    assert client.get("/journal/?day=2026-13-01").status_code == 422


def test_one_form_saves_the_lesson_or_nothing(world: World) -> None:
    j = journal_world(world)
    client = _farah(j)
    url = LESSON.format(section=world.section.pk)
    uuids = _form(client, url)
    a, b, c = (s.pk for s in world.students[:3])
    form = {
        **uuids,
        "topic": "Fractions",
        "homework": "Exercise 4",
        "due_on": "2026-11-19",
        f"value_{a}": "5",
        f"kind_{a}": str(j.oral.pk),
        f"value_{b}": "4",
        f"kind_{b}": str(j.test.pk),
        f"comment_{b}": "Careful",
        f"value_{c}": "9",  # not on the 5-point scale
        f"kind_{c}": str(j.oral.pk),
        f"remark_{a}": "Helped others",
        f"remark_kind_{a}": "praise",
    }
    refused = client.post(url, form)
    assert refused.status_code == 422 and b'data-error-field="value"' in refused.content
    assert (
        f'name="value_{c}" aria-label="Grade" maxlength="10" value="9"'.encode() in refused.content
    )
    assert not (Lesson.objects.exists() or Homework.objects.exists() or Grade.objects.exists())
    nul = client.post(url, {**form, f"value_{c}": "3", "topic": "Frac\x00tions"})
    assert nul.status_code == 422 and b'data-error-field="topic"' in nul.content
    assert not Lesson.objects.exists()
    saved = client.post(url, {**form, f"value_{c}": "3"})
    assert saved.status_code == 302
    again = client.post(url, {**form, f"value_{c}": "3"})  # the same form again: nothing more
    assert again.status_code == 302
    assert Lesson.objects.get().topic == "Fractions" and Homework.objects.get().text == "Exercise 4"
    assert sorted(Grade.objects.values_list("value", flat=True)) == ["3", "4", "5"]
    assert Remark.objects.get().status == "visible"
    # A change needs a reason; with one it is a second version.
    uuids = _form(client, url)
    change = {**uuids, "topic": "Fractions", f"value_{a}": "4", f"kind_{a}": str(j.oral.pk)}
    assert client.post(url, change).status_code == 422
    assert client.post(url, {**change, f"reason_{a}": "Misread"}).status_code == 302
    assert Grade.objects.filter(student_id=a).count() == 2


def test_the_sheet_shows_averages_and_confirms_term_grades(world: World) -> None:
    j = journal_world(world)
    zoya = world.students[1]
    for value, kind in [("4", j.oral), ("5", j.test)]:
        grades.grade_give(
            section=world.section,
            subject=j.maths,
            student_id=zoya.pk,
            kind_id=kind.pk,
            day=DAY,
            period=1,
            value=value,
            client_uuid=uuid.uuid4(),
            by=j.farah,
        )
    client = _farah(j)
    url = f"/journal/sections/{world.section.pk}/subjects/{j.maths.pk}/?term={j.term2.pk}"
    html = client.get(url).content.decode()
    assert "93.33" in html
    assert client.post(url, {f"term_{zoya.pk}": "4"}).status_code == 422  # no reason
    assert client.post(url, {f"term_{zoya.pk}": "5"}).status_code == 302
    assert "data-confirmed>5<" in client.get(url).content.decode()
    # English is not Farah's: she may not read its sheet; the class teacher may.
    english = f"/journal/sections/{world.section.pk}/subjects/{j.english.pk}/"
    assert client.get(english).status_code == 403
    client.force_login(world.asha)
    assert client.get(english).status_code == 200


def test_the_class_view_shows_absences_and_held_concerns(world: World) -> None:
    j = journal_world(world)
    aarav = world.students[0]
    with time_machine.travel(NOW, tick=False):
        for meeting in (1, 2):
            rollcall_submit(
                section=world.section,
                day=DAY,
                meeting=meeting,
                marks=[
                    (m.id, "A" if m.id == aarav.pk else "P")
                    for m in section_roll(world.section, DAY)
                ],
                capture=Capture(client_uuid=uuid.uuid4(), captured_at=NOW),
                by=world.asha,
                now=NOW,
            )
    concern, _ = remarks.remark_write(
        section=world.section,
        subject=j.maths,
        student_id=aarav.pk,
        day=DAY,
        kind="concern",
        text="Sleeps in class",
        hold=True,
        client_uuid=uuid.uuid4(),
        by=j.farah,
    )
    client = Client()
    client.force_login(world.asha)
    url = f"/journal/sections/{world.section.pk}/class/?term={j.term2.pk}"
    html = client.get(url).content.decode()
    assert f'data-student="{aarav.pk}"' in html and "Sleeps in class" in html
    row = html.split(f'data-student="{aarav.pk}"')[1].split("</tr>")[0]
    assert "data-absent>2<" in row
    assert (
        client.post(url, {"remark": concern.pk, "decision": "release", "note": "ok"}).status_code
        == 302
    )
    concern.refresh_from_db()
    assert concern.status == "visible"
    assert _farah(j).get(url).status_code == 403  # not the class teacher


def _fill(world: World, j: Journal) -> None:
    """Every student of 5 A with two grades and a term grade in Mathematics."""
    for member in section_roll(world.section, DAY):
        for value, kind in [("4", j.oral), ("3", j.test)]:
            grades.grade_give(
                section=world.section,
                subject=j.maths,
                student_id=member.id,
                kind_id=kind.pk,
                day=DAY,
                period=1,
                value=value,
                client_uuid=uuid.uuid4(),
                by=j.farah,
            )


@pytest.mark.parametrize(
    "page",
    [
        lambda w, j: LESSON.format(section=w.section.pk),
        lambda w, j: f"/journal/sections/{w.section.pk}/subjects/{j.maths.pk}/?term={j.term2.pk}",
        lambda w, j: f"/journal/sections/{w.section.pk}/class/?term={j.term2.pk}",
        lambda w, j: "/journal/?day=2026-11-18",
        lambda w, j: f"/api/v1/journal/sections/{w.section.pk}/subjects/{j.maths.pk}/sheet",
    ],
    ids=["lesson", "sheet", "class", "home", "api-sheet"],
)
def test_query_counts_do_not_grow_with_the_class(
    world: World, django_assert_max_num_queries: Any, page: Callable[[World, Journal], str]
) -> None:
    j = journal_world(world)
    client = Client()
    client.force_login(world.ravi)  # the head sees every page
    _fill(world, j)
    url = page(world, j)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    more_students(world, 25)
    Grade.objects.all().delete()
    _fill(world, j)
    with django_assert_max_num_queries(len(five)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(section_roll(world.section, DAY)) == 30


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_subject_teacher_keeps_a_lesson_on_a_phone(live_server: Any, browser: Browser) -> None:  # noqa: F811
    world = build_world()
    j = journal_world(world)
    a, b, c = world.students[:3]
    page = open_page(browser, PHONE, phone=True)
    log_in(page, live_server.url, "farah")
    page.goto(f"{live_server.url}/journal/?day={DAY.isoformat()}")
    assert sideways(page) == []
    page.locator("[data-journal-today] a.card-link").first.tap()
    page.wait_for_url("**/lessons/2026-11-18/1/")
    assert sideways(page) == []
    page.fill("input[name=topic]", "Fractions")
    page.fill("textarea[name=homework]", "Exercise 4, page 12")
    page.fill("input[name=due_on]", "2026-11-20")
    for student, value, kind in [(a, "5", j.oral), (b, "3", j.test), (c, "4", j.test)]:
        page.fill(f"input[name=value_{student.pk}]", value)
        page.select_option(f"select[name=kind_{student.pk}]", str(kind.pk))
    page.fill(f"input[name=comment_{b.pk}]", "Revise halves")
    page.locator("[data-save-lesson]").tap()
    page.wait_for_selector(".message.success")
    assert page.input_value("input[name=topic]") == "Fractions"
    assert sideways(page) == []
    page.locator("a", has_text="Subject sheet").first.tap()
    page.wait_for_selector("[data-sheet]")
    assert sideways(page) == []
    # One grade each: the average is its points (5 of 5 → 100, 3 of 5 → 60).
    assert page.locator(f'tr[data-student="{a.pk}"] [data-average]').inner_text() == "100.00"
    assert page.locator(f'tr[data-student="{b.pk}"] [data-average]').inner_text() == "60.00"
    assert page.locator(f'tr[data-student="{b.pk}"] [data-computed]').inner_text() == "3"
    assert Grade.objects.count() == 3 and Lesson.objects.get().topic == "Fractions"
    assert Grade.objects.get(student=b).comment == "Revise halves"
    # The class teacher's view of the whole class fits the phone too.
    page.context.clear_cookies()
    log_in(page, live_server.url, "asha")
    page.goto(f"{live_server.url}/journal/sections/{world.section.pk}/class/")
    page.wait_for_selector("[data-class]")
    assert sideways(page) == []
    # Zoya, the student given the 3, reads it in her diary with the lesson's topic and
    # homework, and has nothing to change it with.
    zoya = b
    zoya.user = User.objects.create_user("zoya", password=PASSWORD)
    zoya.save(update_fields=["user"])
    page.context.clear_cookies()
    log_in(page, live_server.url, "zoya")
    page.goto(f"{live_server.url}/diary/students/{zoya.pk}/?week=2026-11-16")
    wednesday = page.locator('[data-day="2026-11-18"]')
    wednesday.wait_for()
    assert "Fractions" in wednesday.inner_text()
    assert "Exercise 4, page 12" in page.content()
    assert page.locator("[data-grade='3']").is_visible()
    assert "Revise halves" in page.content()
    assert sideways(page) == []
    writes = page.locator("main form[method=post], main form[method=POST]")
    assert writes.count() == 0, writes.first.inner_html()
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"{live_server.url}/api/v1/journal/grades/{Grade.objects.get(student=b).work}/versions",
        data={"client_uuid": str(uuid.uuid4()), "value": "5", "reason": "mine"},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url},
    )
    assert answer.status == 403 and "CSRF" not in answer.text(), answer.text()
    assert Grade.objects.get(student=b, is_current=True).value == "3"
