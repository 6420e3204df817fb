"""The parent's whole journey, in a real Chromium against a real OpenID provider and a
real SMTP server on 127.0.0.1: Imran signs in through the state's sign-on (bound by his
verified phone), sees his two children in two schools, writes to Zoya's class teacher;
she answers; the answer reaches him as an e-mail notice; his school password is refused."""

import os
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from hazri.audit.models import AuditEvent
from hazri.messaging.tests.msg_world import build_messaging
from hazri.notify import channels, queue
from hazri.notify.models import Kind, Notice, Status
from hazri.notify.preferences import preference_set
from hazri.notify.tests.servers import smtp_server
from hazri.people.models import Guardian, Guardianship
from hazri.registers.tests.test_browser import PHONE, log_in, open_page, screenshot
from hazri.signon.models import SsoIdentity
from hazri.signon.oidc import flow
from hazri.signon.tests.oidc_provider import SECRET, client
from hazri.testing.browser import sideways
from hazri.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_signs_on_writes_hears_back_and_has_no_password(  # type: ignore[no-untyped-def]
    live_server, browser: Browser, oidc_provider: Any, settings: Any
) -> None:
    world = build_world()
    mw = build_messaging(world)
    zoya, gopal = world.students[1], _gopal(world)
    imran = Guardian.objects.get(user=world.imran)
    # build_messaging made him Gopal's father too.
    assert Guardianship.objects.filter(guardian=imran, student=gopal).exists()
    imran.email = "imran.khan@example.org"
    imran.save(update_fields=["email"])
    preference_set(
        guardian=imran, channels=["email"], language="en", quiet_start=None, quiet_end=None
    )

    base = live_server.url
    provider = oidc_provider(
        clients=[client(base)],
        accounts={
            "imran.khan": {
                "password": "janaadhaar",
                "claims": {
                    "name": "Imran Khan",
                    "phone_number": "+91 98000 00001",
                    "phone_number_verified": True,
                },
            }
        },
    )
    settings.HAZRI_OIDC_ISSUER = provider.issuer
    settings.HAZRI_OIDC_CLIENT_ID = "hazri"
    settings.HAZRI_OIDC_CLIENT_SECRET = SECRET
    settings.HAZRI_OIDC_CLIENT_AUTH = "client_secret_basic"
    settings.HAZRI_OIDC_NAME = "Jan Aadhaar"
    settings.HAZRI_OIDC_MATCH_CLAIMS = ["phone_number"]
    settings.HAZRI_PASSWORDS_FOR_GUARDIANS = False
    flow.forget_providers()
    channels.reset()
    try:
        with smtp_server() as (port, mailbox):
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            settings.EMAIL_USE_TLS = False
            settings.DEFAULT_FROM_EMAIL = "hazri@example.org"

            # On his phone: the state's sign-on, then his family's page with both children.
            father = open_page(browser, PHONE, phone=True)
            father.goto(f"{base}/accounts/login/")
            father.locator("[data-sso]").click()
            father.wait_for_url(f"{provider.issuer}/interaction/**")
            father.locator("input[name=login]").fill("imran.khan")
            father.locator("input[name=password]").fill("janaadhaar")
            father.locator("button[type=submit]").click()
            father.wait_for_url(f"{base}/family/")
            family = father.locator("main").inner_text()
            assert "Zoya Khan" in family and "Gopal Das" in family
            assert world.school.name in family and world.other_school.name in family
            assert SsoIdentity.objects.get().user == world.imran
            screenshot(father, "journey-family.png")

            # He writes to Zoya's class teacher.
            father.goto(f"{base}/messages/new/")
            father.select_option("#recipient", f"{zoya.pk}:{mw.asha_staff.pk}")
            father.fill("#subject", "Zoya's homework")
            father.fill("#body", "Which pages are for Monday?")
            father.locator("[data-new-thread-form] button[type=submit]").click()
            father.wait_for_url("**/messages/threads/*/")

            # The class teacher (a school password: staff keep theirs) answers.
            teacher = open_page(browser, PHONE, phone=True)
            log_in(teacher, base, "asha")
            teacher.goto(f"{base}/messages/")
            card = teacher.locator("[data-thread]")
            assert card.get_attribute("data-unread") == "1"
            card.click()
            teacher.wait_for_url("**/messages/threads/*/")
            teacher.fill("#body", "Pages 12 and 13.")
            teacher.locator("[data-reply-form] button[type=submit]").click()
            teacher.wait_for_selector("text=Your reply was sent.")

            # The notice worker's run: her answer reaches him by e-mail, once.
            notice = Notice.objects.get(kind=Kind.MESSAGE, guardian=imran)
            assert queue.deliver_due(now=timezone.now()).sent == 1
            assert queue.deliver_due(now=timezone.now()).sent == 0
            [mail] = mailbox.messages
            assert mail.rcpt_tos == ["imran.khan@example.org"]
            assert "Asha Patel wrote about Zoya Khan" in mail.content.decode()
            notice.refresh_from_db()
            assert notice.status == Status.SENT

            # His notices page lists it; the thread shows her answer.
            father.goto(f"{base}/notices/")
            assert "Asha Patel" in father.locator("main").inner_text()
            father.goto(f"{base}/messages/")
            father.locator("[data-thread]").click()
            assert (
                "Pages 12 and 13." in father.locator("article.letter.new [data-body]").inner_text()
            )
            assert sideways(father) == []

            # A school password no longer lets a parent in.
            shared_phone = open_page(browser, PHONE, phone=True)
            log_in(shared_phone, base, "imran")
            assert shared_phone.url.startswith(f"{base}/accounts/login/")
            assert "Parents sign in with the state" in shared_phone.locator("main").inner_text()
            assert AuditEvent.objects.filter(
                action="signin.refused_policy", user=world.imran
            ).exists()
    finally:
        flow.forget_providers()
        channels.reset()


def _gopal(world: Any) -> Any:
    """Gopal Das, in class 3 A of Khedi school (the world's other school)."""
    return world.other_section.enrolments.get().student
