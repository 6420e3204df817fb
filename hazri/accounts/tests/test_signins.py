"""Every sign-in in the audit trail (hazri/accounts/signins.py), whichever way it came,
and the page where each user sees their own."""

from typing import Any

from django.contrib.auth import login
from django.test import Client, RequestFactory

from hazri.accounts.signins import AGENT_LIMIT
from hazri.audit.models import AuditEvent
from hazri.testing.world import PASSWORD, World

AGENT = "Mozilla/5.0 (Linux; Android 12) " + "x" * 400


def events(**filters: Any) -> list[tuple[str, int | None]]:
    rows = AuditEvent.objects.filter(**filters).order_by("pk")
    return [(event.action, event.user_id) for event in rows]


def test_a_page_login_and_logout_are_recorded(world: World) -> None:
    client = Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="10.0.0.9")
    client.post("/accounts/login/", {"username": "ravi", "password": PASSWORD})
    client.post("/accounts/logout/")
    assert events() == [("signin.password", world.ravi.pk), ("signout", world.ravi.pk)]
    signin = AuditEvent.objects.get(action="signin.password")
    assert signin.detail["ip"] == "10.0.0.9" and signin.detail["via"] == "page"
    assert signin.detail["agent"] == AGENT[:AGENT_LIMIT]
    assert signin.object_type == "Account" and signin.object_id == str(world.ravi.pk)
    assert AuditEvent.objects.get(action="signout").detail["reason"] == "user"


def test_a_failed_login_is_recorded_with_the_username_and_never_the_password(
    world: World,
) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "asha", "password": "secret-guess-1"})
    client.post("/accounts/login/", {"username": "x" * 300, "password": "secret-guess-2"})
    failed = list(AuditEvent.objects.filter(action="signin.failed").order_by("pk"))
    assert [event.user_id for event in failed] == [world.asha.pk, None]
    assert failed[0].detail["username"] == "asha"
    # Django's login form does not bound the username it is sent: the audit cuts it.
    assert all(len(event.detail["username"]) <= 150 for event in failed)
    assert "secret-guess" not in str([event.detail for event in AuditEvent.objects.all()])


def test_a_device_login_is_recorded(world: World) -> None:
    body = {"username": "asha", "password": PASSWORD, "device_name": "phone"}
    response = Client().post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 201
    assert events() == [("signin.token", world.asha.pk)]
    assert AuditEvent.objects.get().detail["via"] == "api"


def test_a_single_sign_on_login_is_recorded_as_such(world: World) -> None:
    # As hazri/signon logs a user in: the method in the session, then Django's login().
    request = RequestFactory().get("/signon/callback")
    client = Client()
    request.session = client.session
    request.session["signin_method"] = "sso"
    login(request, world.imran, backend="hazri.accounts.backends.PasswordBackend")
    assert events() == [("signin.sso", world.imran.pk)]


def test_each_user_sees_only_their_own_signins(world: World) -> None:
    for username in ("ravi", "asha"):
        Client().post("/accounts/login/", {"username": username, "password": PASSWORD})
    Client().post("/accounts/login/", {"username": "ravi", "password": "wrong"})
    client = Client()
    client.force_login(world.asha)
    page = client.get("/accounts/signins/")
    assert page.status_code == 200
    shown = [event["action"] for event in page.context["events"]]
    assert shown == ["signin.password", "signin.password"]  # the forced one and the form's
    client.force_login(world.ravi)
    shown = [event["action"] for event in client.get("/accounts/signins/").context["events"]]
    assert shown == ["signin.password", "signin.failed", "signin.password"]
    assert "Wrong password" in client.get("/accounts/signins/").content.decode()


def test_the_signins_page_asks_the_database_a_bounded_number_of_times(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    for _ in range(40):
        client.force_login(world.ravi)
    # The session and user, the events, the header's postings and areas, its count of
    # approvals waiting and of unread messages (with the family it reads): 10.
    with django_assert_max_num_queries(10):
        page = client.get("/accounts/signins/")
    assert len(page.context["events"]) == 30
