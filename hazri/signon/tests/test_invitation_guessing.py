"""Guessing invitation codes: an address that keeps typing codes that do not exist is
locked out for a while (page and API alike), even for a right code; other addresses are
not, and nobody's username is."""

import datetime as dt
import json
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from hazri.signon.services import invitation_issue
from hazri.testing.world import World

WRONG = "ABCDE-FGHJK"  # a well-formed code that no invitation has


def _redeem(client: Client, code: str) -> Any:
    body = {"code": code, "username": "aarav.s", "password": "a-long-pass-phrase"}
    return client.post(
        "/api/v1/invitations/redeem", json.dumps(body), content_type="application/json"
    )


def test_wrong_codes_lock_the_address_out(world: World, settings: Any) -> None:
    settings.HAZRI_LOGIN_IP_FAILURES = 3
    settings.HAZRI_LOGIN_IP_LOCK_MINUTES = 10
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[0]
    )
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert guesser.get(f"/invite/{WRONG}/").status_code == 422
        assert _redeem(guesser, WRONG).status_code == 422
        third = guesser.get(f"/invite/{WRONG}/")
        assert third.status_code == 429
        # Now even the right code is refused from there, on the page and in the API.
        assert guesser.get(f"/invite/{issued.code}/").status_code == 429
        refused = _redeem(guesser, issued.code)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["field"] == "code"
        assert refused["Retry-After"] == "600"
        # Another address is not locked out.
        assert Client(REMOTE_ADDR="198.51.100.7").get(f"/invite/{issued.code}/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert _redeem(guesser, issued.code).status_code == 201


def test_a_used_code_is_not_counted_as_a_guess(world: World, settings: Any) -> None:
    settings.HAZRI_LOGIN_IP_FAILURES = 2
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[0]
    )
    family = Client(REMOTE_ADDR="203.0.113.10")
    assert _redeem(family, issued.code).status_code == 201
    for _ in range(3):  # the slip's link opened again: "used", never a lock
        assert family.get(f"/invite/{issued.code}/").status_code == 422
