"""The test world for messages: Asha is the class teacher of 5 A at Rampur, Farah
teaches it Mathematics, Ravi heads Rampur; Imran is the father of Zoya (5 A, Rampur)
and of Gopal (3 A, Khedi), where Suresh is the class teacher; Salma is the mother of
Aarav (5 A)."""

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from hazri.accounts.models import User
from hazri.messaging.models import ClassNotice, Message, MessageFile, Thread
from hazri.org.models import Section, Subject
from hazri.people.models import Guardian, Guardianship, Posting, Staff, Student, TeachingAssignment
from hazri.testing.world import PASSWORD, World

START = dt.date(2026, 4, 1)
PDF = b"%PDF-1.4\n" + b"0" * 100


@dataclass
class MsgWorld:
    world: World
    zoya: Student
    gopal: Student
    aarav: Student
    farah: User
    salma: User
    asha_staff: Staff
    farah_staff: Staff
    ravi_staff: Staff
    suresh_staff: Staff


def build_messaging(world: World) -> MsgWorld:
    farah = User.objects.create_user("farah", password=PASSWORD, first_name="Farah")
    farah_staff = Staff.objects.create(employee_code="EMP020", name="Farah", gender="F", user=farah)
    Posting.objects.create(staff=farah_staff, school=world.school, role="teacher", starts_on=START)
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    asha_staff, ravi_staff = Staff.objects.get(user=world.asha), Staff.objects.get(user=world.ravi)
    suresh_staff = Staff.objects.get(user=world.suresh)
    for staff, section, subject in [
        (asha_staff, world.section, None),
        (farah_staff, world.section, maths),
        (suresh_staff, world.other_section, None),
    ]:
        TeachingAssignment.objects.create(
            school=section.school, staff=staff, section=section, subject=subject, starts_on=START
        )
    gopal = Student.objects.get(name="Gopal Das")
    imran = Guardian.objects.get(user=world.imran)
    Guardianship.objects.create(guardian=imran, student=gopal, relation="father")
    salma = User.objects.create_user("salma", password=PASSWORD, first_name="Salma")
    mother = Guardian.objects.create(name="Salma", user=salma)
    Guardianship.objects.create(guardian=mother, student=world.students[0], relation="mother")
    return MsgWorld(
        world=world,
        zoya=world.students[1],
        gopal=gopal,
        aarav=world.students[0],
        farah=farah,
        salma=salma,
        asha_staff=asha_staff,
        farah_staff=farah_staff,
        ravi_staff=ravi_staff,
        suresh_staff=suresh_staff,
    )


def api(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    import json

    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class MessageObjects:
    thread: Thread
    message: Message
    file: MessageFile
    notice: ClassNotice


def message_objects(
    section: Section, student: Student, staff: Staff, author: User
) -> MessageObjects:
    """Stored as the services store them (the matrix's and the GET tests' world): a
    thread about the student with the member of staff, its first message by `author`
    with a PDF, and the member of staff's notice to the section."""
    now = timezone.now()
    at = {"school_id": section.school_id}
    thread = Thread.objects.create(
        **at,
        student=student,
        staff=staff,
        subject="Homework",
        started_by=author,
        started_at=now,
        last_message_at=now,
    )
    message = Message.objects.create(
        **at, thread=thread, author=author, body="Is there homework?", posted_at=now
    )
    stored = MessageFile.objects.create(
        **at,
        message=message,
        name="note.pdf",
        media_type="application/pdf",
        size=len(PDF),
        data=PDF,
    )
    assert staff.user is not None
    notice = ClassNotice.objects.create(
        **at, section=section, title="Trip", body="Friday", author=staff.user, posted_at=now
    )
    return MessageObjects(thread, message, stored, notice)
