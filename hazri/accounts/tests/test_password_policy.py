"""Whose passwords still work (SPEC: parents log in through the state's single sign-on,
students keep school-issued logins): HAZRI_PASSWORDS_FOR_GUARDIANS, off by default once
HAZRI_OIDC_ISSUER is set, and HAZRI_PASSWORDS_FOR_STAFF, judged after the password in
one place (hazri/accounts/backends.py) for the page and the API alike."""

import runpy
from typing import Any

import pytest
from django.test import Client, override_settings

from config.settings import base
from hazri.accounts.models import User
from hazri.audit.models import AuditEvent
from hazri.people.models import Guardian, Student
from hazri.testing.world import PASSWORD, World

PARENTS_OFF = override_settings(HAZRI_PASSWORDS_FOR_GUARDIANS=False)
STAFF_OFF = override_settings(HAZRI_PASSWORDS_FOR_STAFF=False)


def page_login(username: str, password: str = PASSWORD) -> Any:
    return Client().post("/accounts/login/", {"username": username, "password": password})


def api_login(username: str, password: str = PASSWORD) -> Any:
    body = {"username": username, "password": password}
    return Client().post("/api/v1/auth/token", body, content_type="application/json")


def student_user(world: World) -> User:
    user = User.objects.create_user("aarav", password=PASSWORD)
    Student.objects.filter(pk=world.students[0].pk).update(user=user)
    return user


@PARENTS_OFF
def test_a_parent_is_refused_a_password_when_sso_is_on(world: World) -> None:
    response = page_login("imran")
    assert response.status_code == 403
    assert "Parents sign in with the state&#x27;s single sign-on." in response.content.decode()
    response = api_login("imran")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "use_sso"
    assert "token" not in response.json()
    refused = AuditEvent.objects.filter(action="signin.refused_policy")
    assert refused.count() == 2
    assert {event.user_id for event in refused} == {world.imran.pk}
    assert {event.detail["via"] for event in refused} == {"page", "api"}


@PARENTS_OFF
def test_the_policy_is_told_only_after_the_right_password(world: World) -> None:
    # A wrong password gets the wrong-password answer: the policy would tell who is a parent.
    response = page_login("imran", "wrong")
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert api_login("imran", "wrong").json()["errors"][0]["code"] == "bad_credentials"


def test_a_parent_keeps_the_password_while_sso_is_off(world: World) -> None:
    assert page_login("imran").status_code == 302
    assert api_login("imran").status_code == 201


@PARENTS_OFF
def test_a_student_keeps_the_school_password(world: World) -> None:
    student = student_user(world)
    # A student who is also someone's guardian (an older sibling) keeps it too.
    Guardian.objects.create(name="Aarav", user=student)
    assert page_login("aarav").status_code == 302
    assert api_login("aarav").status_code == 201


@PARENTS_OFF
def test_staff_who_are_parents_keep_their_password(world: World) -> None:
    Guardian.objects.create(name="Ravi Verma", user=world.ravi)
    assert page_login("ravi").status_code == 302
    assert page_login("asha").status_code == 302
    assert page_login("meera").status_code == 302  # an officer


@STAFF_OFF
def test_staff_passwords_off(world: World) -> None:
    for username in ("ravi", "meera"):
        response = page_login(username)
        assert response.status_code == 403
        assert "Staff sign in with the state&#x27;s single sign-on." in response.content.decode()
        assert api_login(username).status_code == 403
    # Parents (sign-on off by default in the tests) and students are not staff.
    assert page_login("imran").status_code == 302
    student_user(world)
    assert api_login("aarav").status_code == 201


@STAFF_OFF
@PARENTS_OFF
def test_a_superuser_keeps_the_password(world: World) -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    Guardian.objects.create(name="Root", user=User.objects.get(username="root"))
    assert page_login("root").status_code == 302


@pytest.mark.parametrize(
    ("issuer", "parents"), [("", True), ("https://sso.example.gov.in/realms/state", False)]
)
def test_parents_passwords_default_to_off_once_an_issuer_is_set(
    issuer: str, parents: bool, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HAZRI_OIDC_ISSUER", issuer)
    monkeypatch.delenv("HAZRI_PASSWORDS_FOR_GUARDIANS", raising=False)
    settings = runpy.run_path(base.__file__)
    assert settings["HAZRI_PASSWORDS_FOR_GUARDIANS"] is parents
    assert settings["HAZRI_PASSWORDS_FOR_STAFF"] is True
    # A state may keep parents' passwords for a while after turning sign-on on.
    monkeypatch.setenv("HAZRI_PASSWORDS_FOR_GUARDIANS", "1")
    assert runpy.run_path(base.__file__)["HAZRI_PASSWORDS_FOR_GUARDIANS"] is True
