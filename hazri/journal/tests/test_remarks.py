"""Remarks: praise shows at once; a concern held for review is hidden from the family
until the class teacher releases it, and withdrawn ones never show."""

import json
import uuid

import pytest
from django.test import Client

from hazri.accounts.access import Action, Actor, restrict
from hazri.journal.models import Remark
from hazri.journal.selectors import journal
from hazri.journal.services import remarks
from hazri.testing.world import World

from .journal_fixtures import DAY, Journal, journal_world

pytestmark = pytest.mark.django_db


def write(j: Journal, world: World, kind: str, hold: bool) -> Remark:
    remark, created = remarks.remark_write(
        section=world.section,
        subject=j.maths,
        student_id=world.students[1].pk,  # Zoya, Imran's daughter
        day=DAY,
        kind=kind,
        text="Talked through the test" if kind == "concern" else "Helped a friend",
        hold=hold,
        client_uuid=uuid.uuid4(),
        by=j.farah,
    )
    assert created
    return remark


def test_a_held_concern_is_hidden_from_the_family_until_released(world: World) -> None:
    j = journal_world(world)
    praise = write(j, world, "praise", hold=False)
    concern = write(j, world, "concern", hold=True)
    assert concern.status == Remark.Status.HELD
    # The permission model reaches the child's rows; the journal's read leaves out held ones.
    parent = Actor(world.imran)
    assert set(restrict(Remark.objects.all(), parent, Action.VIEW)) == {praise, concern}
    assert list(journal.remarks_seen_by(world.imran)) == [praise]
    assert set(journal.remarks_seen_by(world.asha)) == {praise, concern}  # staff see all
    # Farah wrote it but is not the class teacher: she cannot release it.
    client = Client()
    client.force_login(j.farah)
    body = {"release": True, "note": "Spoke to the parent"}
    path = f"/api/v1/journal/remarks/{concern.pk}/review"
    assert client.post(path, json.dumps(body), content_type="application/json").status_code == 403
    client.force_login(world.imran)  # the family: not theirs to see yet
    assert client.post(path, json.dumps(body), content_type="application/json").status_code == 404
    client.force_login(world.asha)  # the class teacher
    held = client.get(f"/api/v1/journal/sections/{world.section.pk}/class").json()["held"]
    assert [r["id"] for r in held] == [concern.pk]
    released = client.post(path, json.dumps(body), content_type="application/json")
    assert released.status_code == 200 and released.json()["status"] == "visible"
    again = client.post(path, json.dumps(body), content_type="application/json")
    assert again.status_code == 200
    assert set(journal.remarks_seen_by(world.imran)) == {praise, concern}
    concern.refresh_from_db()
    assert concern.reviewed_by == world.asha and concern.review_note == "Spoke to the parent"


def test_a_withdrawn_concern_never_shows_and_praise_cannot_be_held(world: World) -> None:
    j = journal_world(world)
    concern = write(j, world, "concern", hold=True)
    remarks.remark_review(remark=concern, release=False, note="Not needed", by=world.asha)
    assert list(journal.remarks_seen_by(world.imran)) == []
    with pytest.raises(Exception) as refused:
        write(j, world, "praise", hold=True)
    assert getattr(refused.value, "field", "") == "hold"
    with pytest.raises(Exception) as late:
        remarks.remark_review(remark=concern, release=True, note="", by=world.asha)
    assert getattr(late.value, "code", "") == "not_held"


def test_the_same_uuid_answers_the_stored_remark(world: World) -> None:
    j = journal_world(world)
    client = Client()
    client.force_login(j.farah)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "subject": j.maths.pk,
        "student": world.students[0].pk,
        "day": DAY.isoformat(),
        "kind": "praise",
        "text": "Neat work",
    }
    first = client.post(
        "/api/v1/journal/remarks", json.dumps(body), content_type="application/json"
    )
    again = client.post(
        "/api/v1/journal/remarks", json.dumps(body), content_type="application/json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert Remark.objects.count() == 1
