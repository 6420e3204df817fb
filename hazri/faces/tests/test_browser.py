"""Photo attendance in a real Chromium on a 360 px phone: the teacher uploads two
class photos, checks the proposal child by child, corrects one and submits; the
section's roll call is the reviewed one, taken from photos."""

import pytest
from playwright.sync_api import Browser

from hazri.attendance.models import RollCall
from hazri.faces.services.consent import consent_record, reference_add
from hazri.org.selectors import school_today
from hazri.registers.tests.test_browser import PHONE, log_in, open_page
from hazri.testing.browser import sideways
from hazri.testing.world import build_world, morning_timezone

from .conftest import CLASS_PHOTOS, FACE_DATA, PEOPLE, REFERENCE, face_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_takes_the_roll_call_from_photos(live_server, browser: Browser) -> None:  # noqa: F811
    face_file(CLASS_PHOTOS[0])  # skips where the shared photos are absent
    world = build_world()
    world.school.timezone = morning_timezone()  # 09:xx there now: today is under way
    world.school.save()
    world.policy.weekly_offs = []
    world.policy.save()
    for student, person in zip(world.students[:4], PEOPLE[:4], strict=True):
        consent_record(
            school=world.school,
            student=student,
            given_by="Guardian",
            method="form",
            reference="F-1",
            by=world.ravi,
        )
        reference_add(
            school=world.school, student=student, data=face_file(REFERENCE[person]), by=world.ravi
        )
    diya = world.students[4]  # no consent: marked by sight
    today = school_today(world.school)

    page = open_page(browser, PHONE, phone=True)
    log_in(page, live_server.url, "asha")
    page.goto(f"{live_server.url}/schools/{world.school.pk}/?day={today.isoformat()}")
    page.locator('[data-meeting="1"] a.photo-button').tap()
    page.wait_for_url("**/photos/**")
    assert sideways(page) == []
    page.set_input_files("#photos", [str(FACE_DATA / name) for name in CLASS_PHOTOS])
    page.locator("button[type=submit]", has_text="Upload and recognise").tap()
    page.wait_for_url("**/photo-sets/*/")
    page.wait_for_selector("[data-review]")
    assert sideways(page) == []
    rows = page.locator("li.member")
    assert rows.count() == 5
    bands = {
        int(rows.nth(i).get_attribute("data-member") or 0): rows.nth(i).get_attribute("data-band")
        for i in range(5)
    }
    assert [bands[s.pk] for s in world.students] == ["present"] * 4 + ["unseen"]
    # Each seen child shows the matched face beside the reference.
    first = page.locator(f'li[data-member="{world.students[0].pk}"] .faces-pair img')
    assert first.count() == 2
    assert page.evaluate(
        "(img) => img.complete && img.naturalWidth > 0", first.nth(0).element_handle()
    )
    # Diya has no reference photo, but the teacher sees her: one tap.
    diya_row = page.locator(f'li[data-member="{diya.pk}"]')
    assert "No reference photo" in diya_row.inner_text()
    assert diya_row.locator("input[value=A]").is_checked()
    diya_row.locator("label.chip-P").tap()
    page.locator("button[type=submit]", has_text="Submit the roll call").tap()
    page.wait_for_url(f"**/schools/{world.school.pk}/**")
    assert "Saved as the roll call" in page.locator(".messages").inner_text()
    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1, is_current=True)
    assert (rollcall.source, rollcall.present, rollcall.absent) == ("photo", 5, 0)
    page.context.close()
