"""The guardian's preferences and history (page and API), push subscriptions, and the
school's delivery log with its failures."""

import json

import pytest
from django.test import Client

from hazri.notify import kinds, queue
from hazri.notify.models import NoticePreference, PushSubscription, Status
from hazri.notify.tests.helpers import at, codes_with, gateway, mark  # noqa: F401
from hazri.testing.world import PASSWORD

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client_of(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_preferences_through_the_api(world):
    imran = client_of(world.imran)
    got = imran.get(f"{API}/notices/preferences").json()
    assert got["chosen"] is False and got["channels"] == ["sms"] and got["language"] == "hi"
    answer = imran.put(
        f"{API}/notices/preferences",
        {
            "channels": ["email", "sms"],
            "language": "en",
            "quiet_start": "21:30",
            "quiet_end": "06:45",
        },
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["quiet_start"] == "21:30" and answer.json()["chosen"] is True
    bad = imran.put(
        f"{API}/notices/preferences",
        {"channels": ["sms"], "language": "en", "quiet_start": "25:00", "quiet_end": "06:00"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "quiet_start" in json.dumps(bad.json()["errors"])
    half = imran.put(
        f"{API}/notices/preferences",
        {"channels": ["sms"], "language": "en", "quiet_start": "21:00"},
        content_type="application/json",
    )
    assert half.status_code in (400, 422) and half.json()["errors"][0]["field"] == "quiet_end"
    assert NoticePreference.objects.get().quiet_start.hour == 21  # the bad ones wrote nothing


def test_push_subscription_add_remove(world):
    imran = client_of(world.imran)
    body = {"endpoint": "https://push.example.org/x", "keys": {"p256dh": "BOk", "auth": "au"}}
    assert (
        imran.post(
            f"{API}/notices/push-subscriptions", body, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        imran.put(
            f"{API}/notices/preferences",
            {"channels": ["push"], "language": "hi"},
            content_type="application/json",
        ).status_code
        == 200
    )
    plain = {**body, "endpoint": "http://push.example.org/x"}
    assert imran.post(
        f"{API}/notices/push-subscriptions", plain, content_type="application/json"
    ).status_code in (400, 422)
    gone = imran.delete(
        f"{API}/notices/push-subscriptions",
        {"endpoint": body["endpoint"]},
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["push_phones"] == 0
    assert not PushSubscription.objects.exists()
    assert gone.json()["channels"] == []  # push went with the last phone: the defaults apply


def test_family_page_saves_and_lists(world, gateway):  # noqa: F811
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    queue.deliver_due(now=at(17, 0))
    imran = client_of(world.imran)
    page = imran.get("/notices/")
    assert page.status_code == 200
    assert b'data-status="sent"' in page.content and b"Zoya Khan" in page.content
    saved = imran.post(
        "/notices/", {"channel_email": "1", "language": "en", "quiet_start": "", "quiet_end": ""}
    )
    assert saved.status_code == 302
    assert NoticePreference.objects.get().channels == ["email"]
    bad = imran.post(
        "/notices/",
        {"channel_sms": "1", "language": "en", "quiet_start": "9pm", "quiet_end": "07:00"},
    )
    assert bad.status_code == 422 and b'data-error-field="quiet_start"' in bad.content
    assert imran.get("/notices/sw.js")["Content-Type"].startswith("application/javascript")


def test_the_schools_log_shows_failures(world, gateway, settings):  # noqa: F811
    settings.HAZRI_NOTIFY_MAX_ATTEMPTS = 1
    gateway.failing = True
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    assert queue.deliver_due(now=at(17, 0)).failed == 1
    ravi = client_of(world.ravi)
    log = ravi.get(f"{API}/schools/{world.school.pk}/notices", {"status": "failed"}).json()
    assert log["counts"][Status.FAILED] == 1
    [notice] = log["notices"]
    assert notice["status"] == "failed" and "503" in notice["last_error"]
    assert {d["channel"]: d["outcome"] for d in notice["deliveries"]}["sms"] == "error"
    page = ravi.get(f"/schools/{world.school.pk}/notices/?status=failed")
    assert page.status_code == 200 and b'data-status="failed"' in page.content
    assert client_of(world.asha).get(f"/schools/{world.school.pk}/notices/").status_code == 403
    assert client_of(world.meera).get(f"{API}/schools/{world.school.pk}/notices").status_code == 200
    assert client_of(world.imran).get(f"{API}/schools/{world.school.pk}/notices").status_code == 404


def test_the_family_page_links_the_notices_for_a_guardian_only(world):
    assert b"data-notices-link" in client_of(world.imran).get("/family/").content
    from hazri.accounts.models import User

    pupil = User.objects.create_user("zoya", password=PASSWORD)
    world.students[1].user = pupil
    world.students[1].save(update_fields=["user"])
    assert b"data-notices-link" not in client_of(pupil).get("/family/").content
