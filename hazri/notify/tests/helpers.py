"""What the notices' tests share: marking the world's section, and a gateway that
records what it was asked to send (the real HTTP gateway has its own test)."""

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from hazri.attendance.models import RollCall
from hazri.attendance.services import Capture, rollcall_submit
from hazri.notify import channels
from hazri.people.selectors import section_roll
from hazri.testing.world import SCHOOL_DAY, World

IST = ZoneInfo("Asia/Kolkata")


def at(hour: int, minute: int = 0, day: dt.date = SCHOOL_DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=IST)


def mark(
    world: World,
    codes: str,
    *,
    day: dt.date = SCHOOL_DAY,
    captured: dt.datetime | None = None,
    by: Any = None,
    note: str = "",
) -> RollCall:
    """The forenoon roll call of 5 A: one code per student in roll order."""
    roll = [m.id for m in section_roll(world.section, day)]
    captured = captured or at(8, 30, day)
    return rollcall_submit(
        section=world.section,
        day=day,
        meeting=1,
        marks=list(zip(roll, codes, strict=True)),
        capture=Capture(client_uuid=uuid.uuid4(), captured_at=captured, note=note),
        by=by or world.asha,
        now=captured,
    ).sheet


def codes_with(world: World, absent: set[int], day: dt.date = SCHOOL_DAY) -> str:
    return "".join("A" if m.id in absent else "P" for m in section_roll(world.section, day))


class RecordingGateway:
    sent: ClassVar[list[dict[str, str]]] = []
    failing: ClassVar[bool] = False

    def __init__(self, url: str, api_key: str, timeout: float) -> None:
        pass

    def send(self, *, to: str, sender: str, template_id: str, text: str) -> str:
        if RecordingGateway.failing:
            raise channels.SendError("gateway: HTTP 503")
        RecordingGateway.sent.append(
            {"to": to, "sender": sender, "template_id": template_id, "text": text}
        )
        return "recorded"


@pytest.fixture
def gateway() -> Iterator[type[RecordingGateway]]:
    RecordingGateway.sent = []
    RecordingGateway.failing = False
    conf = {"CLASS": f"{__name__}.RecordingGateway", "URL": "x", "SENDER": "HAZRIN"}
    with override_settings(HAZRI_SMS_GATEWAY=conf):
        channels.reset()
        yield RecordingGateway
    channels.reset()
