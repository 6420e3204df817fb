"""A transfer certificate issued for a child, or cancelled, is a notice to the family
(hazri/notify/records.py), in their language, within DLT's rules."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hazri.credentials.testing import install_signing_key
from hazri.notify.models import Kind, Notice
from hazri.notify.texts import message_of
from hazri.records.services import tc_cancel, tc_issue
from hazri.records.signals import tc_issued
from hazri.testing.world import SCHOOL_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings: Any, tmp_path: Path) -> None:
    install_signing_key(settings, tmp_path)


def _issue(world: Any, student: Any) -> Any:
    return tc_issue(
        student=student,
        school=world.school,
        left_on=SCHOOL_DAY + dt.timedelta(days=2),
        reason="Family moved",
        conduct="Good",
        dues_cleared=True,
        by=world.ravi,
    )


def test_the_family_is_told_when_a_tc_is_issued_and_cancelled(
    world: Any, signing: None, django_capture_on_commit_callbacks: Any
) -> None:
    zoya = world.students[1]  # Imran's daughter
    with django_capture_on_commit_callbacks(execute=True):
        tc = _issue(world, zoya)
    told = list(Notice.objects.filter(kind=Kind.TRANSFER))
    assert [(n.guardian.user_id, n.student_id, n.params["step"]) for n in told] == [
        (world.imran.pk, zoya.pk, "issued")
    ]
    assert told[0].params["number"] == tc.number and told[0].school_id == world.school.pk
    tc_issued.send(sender=type(tc), certificate=tc)  # sent twice: told once
    assert Notice.objects.filter(kind=Kind.TRANSFER).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        tc_cancel(tc=tc, reason="Issued in error", by=world.ravi)
    steps = (
        Notice.objects.filter(kind=Kind.TRANSFER).order_by("pk").values_list("params", flat=True)
    )
    assert [p["step"] for p in steps] == ["issued", "cancelled"]


def test_a_child_with_no_guardian_on_record_tells_nobody(
    world: Any, signing: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _issue(world, world.students[0])  # Aarav: no guardian on record
    assert not Notice.objects.filter(kind=Kind.TRANSFER).exists()


def test_the_tc_notice_texts_in_english_and_hindi() -> None:
    params = {
        "child": "Zoya Khan",
        "child_local": "ज़ोया ख़ान",
        "school": "GPS Rampur",
        "school_local": "शासकीय प्राथमिक शाला रामपुर",
        "number": "TC-R-00001",
    }
    issued = message_of(Kind.TRANSFER, "en", {**params, "step": "issued"})
    assert "TC-R-00001" in issued.body and "issued" in issued.subject
    assert issued.sms.values == ("Zoya Khan", "issued")
    cancelled = message_of(Kind.TRANSFER, "en", {**params, "step": "cancelled"})
    assert "cancelled" in cancelled.subject and cancelled.sms.values[1] == "cancelled"
    assert cancelled.sms.template_id == issued.sms.template_id
    hindi = message_of(Kind.TRANSFER, "hi", {**params, "step": "cancelled"})
    assert hindi.sms.text.startswith("प्रिय अभिभावक") and "ज़ोया ख़ान" in hindi.sms.text
    assert "रद्द" in hindi.subject and "TC-R-00001" in hindi.body
