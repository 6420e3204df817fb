"""Who may write to whom about a child (SPEC §5.4): the permission model's answer."""

import datetime as dt

import pytest

from hazri.accounts.access import Actor
from hazri.common.errors import NotFound
from hazri.messaging import services, whom
from hazri.org import selectors as org
from hazri.people.models import Posting, TeachingAssignment

from .msg_world import MsgWorld, api, post

pytestmark = pytest.mark.django_db


def _names(mw: MsgWorld, student) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = whom.addressees(Actor(mw.world.imran), student)
    return {a.staff.name: a.role for a in found}


def test_a_guardian_writes_to_the_class_and_subject_teachers_and_the_head(mw: MsgWorld) -> None:
    assert _names(mw, mw.zoya) == {
        "Asha Patel": whom.CLASS_TEACHER,
        "Farah": whom.SUBJECT_TEACHER,
        "Ravi Verma": whom.HEAD,
    }
    # Gopal at Khedi: his class teacher there; Khedi has no head in this world.
    assert _names(mw, mw.gopal) == {"Suresh Yadav": whom.CLASS_TEACHER}
    # Not his child: nobody.
    assert _names(mw, mw.aarav) == {}


def test_an_ended_assignment_or_posting_is_no_longer_written_to(mw: MsgWorld) -> None:
    yesterday = org.school_today(mw.world.school) - dt.timedelta(days=1)
    TeachingAssignment.objects.filter(staff=mw.farah_staff).update(ends_on=yesterday)
    assert "Farah" not in _names(mw, mw.zoya)
    Posting.objects.filter(staff=mw.asha_staff).update(ends_on=yesterday)
    assert "Asha Patel" not in _names(mw, mw.zoya)


def test_a_teacher_writes_to_the_families_of_the_sections_they_teach(mw: MsgWorld) -> None:
    asha, suresh, ravi = Actor(mw.world.asha), Actor(mw.world.suresh), Actor(mw.world.ravi)
    assert whom.staff_reaches(asha, mw.zoya.pk) is not None
    assert whom.staff_reaches(asha, mw.gopal.pk) is None  # another school
    assert whom.staff_reaches(suresh, mw.zoya.pk) is None
    assert whom.staff_reaches(ravi, mw.aarav.pk) is not None  # the head: the whole school
    assert whom.staff_reaches(Actor(mw.world.imran), mw.zoya.pk) is None
    assert whom.staff_reaches(Actor(mw.world.meera), mw.zoya.pk) is None  # an officer
    listed = {w.student_id for w in whom.students_to_write(asha)}
    assert listed == {s.pk for s in mw.world.students}


def test_a_teacher_not_teaching_the_section_gets_the_404(mw: MsgWorld) -> None:
    # Suresh teaches at Khedi; Zoya is at Rampur. Asha after her assignment ended.
    response = post(api(mw.world.suresh), "/messages/threads", _start(mw.zoya.pk))
    assert response.status_code == 404, response.content
    assert response.json()["errors"][0]["field"] == "student"
    yesterday = org.school_today(mw.world.school) - dt.timedelta(days=1)
    TeachingAssignment.objects.filter(staff=mw.asha_staff).update(ends_on=yesterday)
    response = post(api(mw.world.asha), "/messages/threads", _start(mw.zoya.pk))
    assert response.status_code == 404


def test_a_former_teacher_can_no_longer_reply(mw: MsgWorld) -> None:
    thread = services.thread_start(
        student_id=mw.zoya.pk,
        staff_id=None,
        subject="Fees",
        body="Hello",
        uploads=[],
        by=mw.world.asha,
    )
    yesterday = org.school_today(mw.world.school) - dt.timedelta(days=1)
    TeachingAssignment.objects.filter(staff=mw.asha_staff).update(ends_on=yesterday)
    response = post(api(mw.world.asha), f"/messages/threads/{thread.pk}/messages", {"body": "x"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "may_not_write"
    # The father cannot write to her in it either, but still reads it.
    father = api(mw.world.imran)
    assert post(father, f"/messages/threads/{thread.pk}/messages", {"body": "x"}).status_code == 403
    read = father.get(f"/api/v1/messages/threads/{thread.pk}")
    assert read.status_code == 200 and read.json()["may_write"] is False


def test_guardians_write_only_to_whom_they_may(mw: MsgWorld) -> None:
    father = api(mw.world.imran)
    # Suresh does not teach Zoya; Asha does not teach Gopal.
    for student, staff in [(mw.zoya, mw.suresh_staff), (mw.gopal, mw.asha_staff)]:
        response = post(father, "/messages/threads", _start(student.pk, staff.pk))
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "staff"
    # Another family's child.
    response = post(father, "/messages/threads", _start(mw.aarav.pk, mw.asha_staff.pk))
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "student"
    # The block officer and the student herself write to nobody.
    for user in (mw.world.meera,):
        assert (
            post(api(user), "/messages/threads", _start(mw.zoya.pk, mw.asha_staff.pk)).status_code
            == 404
        )
    with pytest.raises(NotFound):
        whom.require_addressee(Actor(mw.salma), mw.zoya, mw.asha_staff.pk)


def test_a_parent_of_two_schools_sees_both_threads_in_one_inbox(mw: MsgWorld) -> None:
    father = api(mw.world.imran)
    for student, staff in [(mw.zoya, mw.asha_staff), (mw.gopal, mw.suresh_staff)]:
        assert post(father, "/messages/threads", _start(student.pk, staff.pk)).status_code == 201
    threads = father.get("/api/v1/messages/threads").json()["threads"]
    assert {t["student"] for t in threads} == {mw.zoya.pk, mw.gopal.pk}
    assert {t["school"] for t in threads} == {mw.world.school.pk, mw.world.other_school.pk}
    # Each teacher sees only their own; Farah and Salma none.
    assert len(api(mw.world.asha).get("/api/v1/messages/threads").json()["threads"]) == 1
    assert len(api(mw.world.suresh).get("/api/v1/messages/threads").json()["threads"]) == 1
    for user in (mw.farah, mw.salma, mw.world.ravi, mw.world.meera):
        assert api(user).get("/api/v1/messages/threads").json()["threads"] == []
    thread = threads[0]["id"]
    for user in (mw.farah, mw.salma, mw.world.meera):
        assert api(user).get(f"/api/v1/messages/threads/{thread}").status_code == 404


def test_whom_may_i_write_to(mw: MsgWorld) -> None:
    answer = api(mw.world.imran).get(f"/api/v1/students/{mw.zoya.pk}/message-recipients").json()
    assert {s["role"] for s in answer["staff"]} == {"class_teacher", "subject_teacher", "head"}
    assert answer["family"] is False
    answer = api(mw.world.asha).get(f"/api/v1/students/{mw.zoya.pk}/message-recipients").json()
    assert answer == {"student": mw.zoya.pk, "staff": [], "family": True}
    for user in (mw.world.suresh, mw.salma, mw.world.meera):
        got = api(user).get(f"/api/v1/students/{mw.zoya.pk}/message-recipients")
        assert got.status_code == 404


def _start(student: int, staff: int | None = None) -> dict[str, object]:
    body: dict[str, object] = {"student": student, "subject": "Homework", "body": "A question"}
    if staff is not None:
        body["staff"] = staff
    return body
