"""A message posted through the messaging app becomes one notice to the child's other
guardians (hazri.notify.receivers), after its transaction commits."""

import pytest

from hazri.messaging import services as messaging
from hazri.messaging.tests.msg_world import build_messaging
from hazri.notify.models import Kind, Notice
from hazri.people.models import Guardian, Guardianship
from hazri.testing.world import World


@pytest.mark.django_db(transaction=True)
def test_a_teachers_reply_is_one_notice_to_the_parents(world: World) -> None:
    mw = build_messaging(world)
    zoya = world.students[1]
    mother = Guardian.objects.create(name="Rukhsana Khan", phone="+919800000077")
    Guardianship.objects.create(guardian=mother, student=zoya, relation="mother")
    father = Guardian.objects.get(user=world.imran)

    thread = messaging.thread_start(
        student_id=zoya.pk,
        staff_id=mw.asha_staff.pk,
        subject="Homework",
        body="Which page?",
        uploads=[],
        by=world.imran,
    )
    # The father wrote it: his wife hears of it, he does not.
    assert list(Notice.objects.values_list("guardian_id", "kind")) == [(mother.pk, Kind.MESSAGE)]

    reply = messaging.message_post(thread=thread, body="Page 12", uploads=[], by=world.asha)
    told = Notice.objects.filter(key=f"message:{reply.pk}")
    assert sorted(told.values_list("guardian_id", flat=True)) == sorted([father.pk, mother.pk])
    assert {n.student_id for n in told} == {zoya.pk}
    assert Notice.objects.count() == 3
