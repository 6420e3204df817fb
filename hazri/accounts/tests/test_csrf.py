"""CSRF on every form: each template's POST form carries `{% csrf_token %}`, and a page's
POST without the token is refused (403) as a browser meets Django's checks (the test
client turns them off unless told). The API's session door is CSRF-checked in
test_api_auth.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hazri.testing.world import PASSWORD, World

FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
POST = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)


def templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "hazri"]
    return sorted(path for root in roots for path in root.rglob("templates/**/*.html"))


def test_every_post_form_carries_the_csrf_token() -> None:
    found = 0
    missing = []
    for path in templates():
        text = path.read_text()
        for form in FORM.finditer(text):
            opening = form.group(0)[: form.group(0).index(">") + 1]
            if not POST.search(opening):
                continue
            found += 1
            if "{% csrf_token %}" not in form.group(1):
                line = text[: form.start()].count("\n") + 1
                missing.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)
    assert found > 20  # the scan found the forms it should


def test_the_login_page_refuses_a_post_without_the_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "ravi", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    # With the token the page gives, it logs in: the refusal was the token's.
    client.get("/accounts/login/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    body = {"username": "ravi", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/accounts/login/", body).status_code == 302


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("ravi", lambda w: reverse("logout"), {}),
        ("ravi", lambda w: reverse("language"), {"language": "hi"}),
        ("ravi", lambda w: reverse("staff_mark", args=[w.school.pk]), {"mark": "P"}),
        ("ravi", lambda w: reverse("dashboard_school", args=[w.school.pk]), {"meals": "10"}),
        (
            "imran",
            lambda w: reverse("diary_acknowledge", args=[w.students[0].pk]),
            {"week": "2026-11-16"},
        ),
    ],
)
def test_a_state_changing_page_refuses_a_post_without_the_token(
    world: World, who: str, url: object, body: dict[str, str]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(world, who))
    response = client.post(url(world), body)  # type: ignore[operator]
    assert response.status_code == 403
    assert "_auth_user_id" in client.session  # still logged in: the logout was refused
