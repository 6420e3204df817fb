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


@pytest.mark.django_db(transaction=True)
def test_a_class_notice_tells_each_family_of_the_section_once(world: World) -> None:
    build_messaging(world)
    zoya, aarav = world.students[1], world.students[0]
    father = Guardian.objects.get(user=world.imran)
    # A guardian of two children in 5 A is told once; a child with no guardian, nobody.
    Guardianship.objects.create(guardian=father, student=aarav, relation="other")
    aunt = Guardian.objects.create(name="Nasreen Khan", phone="+919800000078")
    Guardianship.objects.create(guardian=aunt, student=zoya, relation="other")

    notice = messaging.notice_post(
        section=world.section, title="Sports day", body="Friday, 9 am.", uploads=[], by=world.asha
    )
    told = Notice.objects.filter(kind=Kind.CLASS_NOTICE, key=f"notice:{notice.pk}")
    guardians_of_5a = Guardianship.objects.filter(
        student__enrolments__section=world.section
    ).values_list("guardian_id", flat=True)
    assert sorted(told.values_list("guardian_id", flat=True)) == sorted(set(guardians_of_5a))
    assert told.filter(guardian=father).count() == 1
    assert told.get(guardian=aunt).params["title"] == "Sports day"
    assert told.get(guardian=aunt).params["author"] == "Asha Patel"
    # Nobody of Khedi school's class is told.
    assert not told.filter(student=world.other_section.enrolments.get().student).exists()
