"""The page language: a choice made on the login page survives logging in, and people
are named by their names, not their logins."""

from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from hazri.accounts.models import User
from hazri.accounts.names import person_name
from hazri.testing.world import PASSWORD, World


def test_hindi_chosen_on_the_login_page_becomes_the_preference(
    world: World, client: Client
) -> None:
    assert world.ravi.language == "en"
    client.post(reverse("language"), {"language": "hi", "next": reverse("login")})
    response = client.post(reverse("login"), {"username": "ravi", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    world.ravi.refresh_from_db()
    assert world.ravi.language == "hi"
    page = client.get(response["Location"], follow=True).content.decode()
    assert 'lang="hi"' in page
    # The next login, from anywhere, speaks Hindi too.
    other = Client()
    other.post(reverse("login"), {"username": "ravi", "password": PASSWORD})
    assert 'lang="hi"' in other.get("/", follow=True).content.decode()


def test_the_stored_preference_wins_when_nothing_was_chosen(world: World, client: Client) -> None:
    world.ravi.language = "hi"
    world.ravi.save()
    # A cookie left on a shared phone by someone else is not a choice of Ravi's.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "ravi", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    world.ravi.refresh_from_db()
    assert world.ravi.language == "hi"


def test_a_choice_is_used_once(world: World, client: Client) -> None:
    client.post(reverse("language"), {"language": "hi", "next": reverse("login")})
    client.post(reverse("login"), {"username": "ravi", "password": PASSWORD})
    client.post(reverse("language"), {"language": "en", "next": "/"})  # changed his mind
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "asha", "password": PASSWORD})
    world.asha.refresh_from_db()
    world.ravi.refresh_from_db()
    assert (world.ravi.language, world.asha.language) == ("en", "en")


def test_a_wrong_password_changes_no_preference(world: World, client: Client) -> None:
    client.post(reverse("language"), {"language": "hi", "next": reverse("login")})
    client.post(reverse("login"), {"username": "ravi", "password": "nope"})
    world.ravi.refresh_from_db()
    assert world.ravi.language == "en"


def test_people_are_named_by_their_names(world: World) -> None:
    assert person_name(world.ravi) == world.ravi.get_full_name() != "ravi"
    nameless = User.objects.create_user("clerk7", password=PASSWORD)
    assert person_name(nameless) == "clerk7"
    assert person_name(None) == ""
    rendered = Template("{% load names %}{{ user|person_name }}").render(
        Context({"user": world.ravi})
    )
    assert rendered == world.ravi.get_full_name()
