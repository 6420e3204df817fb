"""The authorization matrix's world: a user for every role in the test world, and a
school of another state that none of them but the superuser may touch."""

import datetime as dt
import uuid
from typing import Any

import numpy as np
import time_machine

from hazri.accounts.models import OfficerGrant, User
from hazri.admissions.tests.adm_world import matrix_application
from hazri.attendance.models import RollCall
from hazri.attendance.services import Capture, rollcall_submit
from hazri.credentials.testing import sample_credential
from hazri.faces.models import Consent, Photo, PhotoSet, Proposed, Reference, SeenFace
from hazri.journal.models import AbsenceNotice, Attachment, Change, Grade, Homework, Remark
from hazri.journal.tests.journal_fixtures import journal_objects
from hazri.messaging.tests.msg_world import message_objects
from hazri.org.models import AcademicYear, School, Section, Subject
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import (
    Admission,
    Enrolment,
    Guardianship,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
)
from hazri.people.selectors import section_roll
from hazri.records.tests.records_world import tc_object
from hazri.reportcards.tests.rc_world import report_card_of
from hazri.signon.services import invitation_issue
from hazri.support.tests.support_world import ticket_objects
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World, build_world

from .matrix_rules import NOW, Place


def matrix_world() -> tuple[dict[str, User | None], Place, Place]:
    """The test world with a user for every role, and another state's school."""
    with time_machine.travel(NOW, tick=False):
        world = build_world()
        users: dict[str, User | None] = {
            "anonymous": None,
            "superuser": _user("root", superuser=True),
            "block_officer": world.meera,
            "head": world.ravi,
            "class_teacher": world.asha,
            "parent": world.imran,
        }
        for role, unit in [
            ("state_officer", world.state),
            ("district_officer", world.district),
            ("cluster_officer", world.cluster),
        ]:
            users[role] = _user(role)
            OfficerGrant.objects.create(user=users[role], unit=unit, title=role)
        users["school_admin"], _ = _posted(world, "anil", Posting.Role.ADMIN, "EMP010")
        users["other_staff"], _ = _posted(world, "gita", Posting.Role.OTHER, "EMP011")
        users["subject_teacher"], farah = _posted(world, "farah", Posting.Role.TEACHER, "EMP012")
        maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
        asha = Staff.objects.get(user=world.asha)
        for staff, subject in [(asha, None), (farah, maths)]:
            TeachingAssignment.objects.create(
                school=world.school,
                staff=staff,
                section=world.section,
                subject=subject,
                starts_on=dt.date(2026, 4, 1),
            )
        zoya = world.students[1]  # Imran's daughter
        users["student"] = _user("zoya")
        zoya.user = users["student"]
        zoya.save(update_fields=["user"])
        inside = Place(
            school=world.school.pk,
            section=world.section.pk,
            student=zoya.pk,
            rollcall=_rollcall(world.section, world.asha),
            unit=world.block.pk,
            **_faces(world.section, zoya, world.asha),
            **_journal(world.section, maths, zoya, users["subject_teacher"]),
            **_setup_extras(world.section, world.ravi),
            notice=_notice(world.school, zoya, world.imran),
            invitation=_invitation(world.school, zoya, world.ravi),
            **_messaging(world.section, zoya, asha, world.imran),
            transfer_certificate=tc_object(world.school, zoya, world.ravi).pk,
            report_card=report_card_of(world.section, zoya, world.ravi),
            credential=sample_credential(world.school, zoya, world.ravi).pk,
            application=matrix_application(world.section, user=world.imran),
            **_support(world.school.pk, world.asha),
            exchange=exchange_of(world.school, world.ravi),
        )
        outside = _outside(world)
        assert Guardianship.objects.filter(student=zoya, guardian__user=world.imran).exists()
        assert RollCall.objects.count() == 2
    return users, inside, outside


def exchange_of(school: School, by: User) -> int:
    """A OneRoster export of the school, still running (hazri.interop)."""
    from hazri.interop.models import Exchange

    return Exchange.objects.create(
        direction="export",
        status="running",
        school=school,
        unit_path=school.unit_path,
        created_by=by,
    ).pk


def _user(name: str, *, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(name, password=PASSWORD)
    return User.objects.create_user(name, password=PASSWORD)


def _posted(world: World, name: str, role: str, code: str) -> tuple[User, Staff]:
    user = _user(name)
    staff = Staff.objects.create(employee_code=code, name=name, gender="F", user=user)
    Posting.objects.create(
        staff=staff, school=world.school, role=role, starts_on=dt.date(2026, 4, 1)
    )
    return user, staff


def _outside(world: World) -> Place:
    """A school, section, pupil and roll call in another state: nobody's but the superuser's."""
    state = orgunit_create(parent=None, kind="state", code="RJ", name="Rajasthan")
    school = school_create(unit=state, code="08000000001", name="GPS Bikaner")
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=world.year.ends_on
    )
    section = Section.objects.create(school=school, academic_year=year, grade=4, name="A")
    student = Student.objects.create(name="Lakshmi", gender="F")
    admission = Admission.objects.create(
        school=school, student=student, admission_no="1", admitted_on=dt.date(2026, 4, 1)
    )
    Enrolment.objects.create(
        school=school,
        section=section,
        student=student,
        admission=admission,
        origin="new",
        starts_on=dt.date(2026, 4, 1),
    )
    head = _user("bhanu")
    staff = Staff.objects.create(employee_code="RJ001", name="Bhanu", gender="M", user=head)
    Posting.objects.create(staff=staff, school=school, role="head", starts_on=dt.date(2026, 4, 1))
    return Place(
        school=school.pk,
        section=section.pk,
        student=student.pk,
        rollcall=_rollcall(section, head),
        unit=state.pk,
        **_faces(section, student, head),
        **_journal(
            section, Subject.objects.create(school=school, code="MATH", name="Maths"), student, head
        ),
        **_setup_extras(section, head),
        notice=_notice(school, student, head),
        invitation=_invitation(school, student, head),
        **_messaging(section, student, staff, head),
        transfer_certificate=tc_object(school, student, head).pk,
        report_card=report_card_of(section, student, head),
        credential=sample_credential(school, student, head).pk,
        application=matrix_application(section, phone="9222222222"),
        **_support(school.pk, head),
        exchange=exchange_of(school, head),
    )


def _invitation(school: School, student: Student, by: User) -> int:
    """A live invitation for the student (hazri.signon)."""
    issued = invitation_issue(by=by, school=school, kind="student", target=student)
    return issued.invitation.pk


def _messaging(section: Section, student: Student, staff: Staff, author: User) -> dict[str, int]:
    """A thread about the student with this member of staff, its first message by
    `author` with a file, and the member of staff's notice to the section."""
    made = message_objects(section, student, staff, author)
    return {
        "thread": made.thread.pk,
        "message": made.message.pk,
        "message_file": made.file.pk,
        "class_notice": made.notice.pk,
    }


def _support(school_id: int, raised_by: User) -> dict[str, int]:
    """A ticket at the school's level with a file (hazri.support)."""
    made = ticket_objects(school_id, raised_by)
    return {"ticket": made.ticket.pk, "ticket_file": made.file.pk}


def _notice(school: School, student: Student, by: User) -> int:
    """An absence told in advance for the day after the world's school day."""
    return AbsenceNotice.objects.create(
        school=school,
        student=student,
        starts_on=SCHOOL_DAY + dt.timedelta(days=1),
        ends_on=SCHOOL_DAY + dt.timedelta(days=1),
        reason="Fever",
        told_by=by,
        told_at=NOW,
    ).pk


def _rollcall(section: Section, by: User) -> int:
    roll = section_roll(section, SCHOOL_DAY)
    submitted = rollcall_submit(
        section=section,
        day=SCHOOL_DAY,
        meeting=1,
        marks=[(m.id, "P") for m in roll],
        capture=Capture(client_uuid=uuid.uuid4(), captured_at=NOW, device_clock=None),
        by=by,
        now=NOW,
    )
    return submitted.sheet.pk


def _journal(section: Section, maths: Subject, student: Student, by: User | None) -> dict[str, Any]:
    """The section's journal (journal_fixtures: a 5-point scheme, terms, the timetable with
    Mathematics in period 1), a grade of the student, a concern held for review and a
    homework file."""
    made = journal_objects(section.school, section, maths)
    school = section.school
    at = {"school": school, "section": section}
    work = uuid.uuid4()
    Grade.objects.create(
        **at,
        subject=maths,
        student=student,
        term=made.term2,
        kind=made.oral,
        day=SCHOOL_DAY,
        period=1,
        value="4",
        points=80,
        work=work,
        client_uuid=work,
        given_by=by,
        given_at=NOW,
    )
    remark = Remark.objects.create(
        **at,
        subject=maths,
        student=student,
        day=SCHOOL_DAY,
        kind="concern",
        text="Restless",
        status="held",
        client_uuid=uuid.uuid4(),
        written_by=by,
        written_at=NOW,
    )
    homework = Homework.objects.create(
        **at,
        subject=maths,
        day=SCHOOL_DAY,
        period=1,
        text="Page 11",
        due_on=SCHOOL_DAY,
        client_uuid=uuid.uuid4(),
        set_by=by,
        set_at=NOW,
    )
    attachment = Attachment.objects.create(
        school=school,
        homework=homework,
        name="a.pdf",
        media_type="application/pdf",
        size=5,
        data=b"%PDF-",
    )
    return {
        "subject": maths.pk,
        "term": made.term2.pk,
        "kind": made.oral.pk,
        "work": str(work),
        "remark": remark.pk,
        "attachment": attachment.pk,
    }


def _faces(section: Section, student: Student, by: User) -> dict[str, int]:
    """A consent and reference face for the student, and the section's photos of the
    afternoon proposed for review, with one face (stored as the recognizer would)."""
    crop = b"\xff\xd8\xff\xe0" + bytes(64)  # the bytes are served, never decoded
    embedding = np.zeros(128, dtype=np.float32)
    school = section.school
    consent = Consent.objects.create(
        school=school,
        student=student,
        given_by="Guardian",
        method="form",
        reference="F-1",
        recorded_by=by,
        recorded_at=NOW,
    )
    reference = Reference.objects.create(
        school=school,
        student=student,
        consent=consent,
        source="upload",
        crop=crop,
        embeddings=embedding.tobytes(),
        dimensions=128,
        model_name="test",
        model_version="test",
        face_width=120,
        added_by=by,
        added_at=NOW,
    )
    photo_set = PhotoSet.objects.create(
        school=school,
        section=section,
        day=SCHOOL_DAY,
        meeting=2,
        client_uuid=uuid.uuid4(),
        taken_by=by,
        expected=1,
        status="proposed",
        processed=1,
        device_captured_at=NOW - dt.timedelta(minutes=20),
        created_at=NOW,
    )
    photo = Photo.objects.create(
        school=school,
        photo_set=photo_set,
        index=0,
        size=100,
        sha256="0" * 64,
        received=100,
        captured_at=NOW,
        status="processed",
        faces_found=1,
    )
    face = SeenFace.objects.create(
        school=school,
        photo=photo,
        index=0,
        box=[0, 0, 50, 50],
        width=50,
        detector_score=0.9,
        crop=crop,
        embedding=embedding.tobytes(),
        student=student,
        score=0.8,
    )
    for member in section_roll(section, SCHOOL_DAY):
        Proposed.objects.create(
            school=school,
            photo_set=photo_set,
            student_id=member.id,
            band="present" if member.id == student.pk else "unseen",
            best_face=face if member.id == student.pk else None,
            has_reference=member.id == student.pk,
        )
    return {
        "consent": consent.pk,
        "reference": reference.pk,
        "photo_set": photo_set.pk,
        "face": face.pk,
    }


def _setup_extras(section: Section, head: User) -> dict[str, int]:
    """For the journal's set-up (its periods, subject, timetable and terms are the
    journal's: journal_fixtures): Thursday's period 1 cancelled, and the class teacher."""
    school = section.school
    change = Change.objects.create(
        school=school,
        section=section,
        day=SCHOOL_DAY + dt.timedelta(days=1),
        period=1,
        kind="cancelled",
        made_by=head,
    )
    head_staff = Staff.objects.get(user=head)
    class_teacher = TeachingAssignment.objects.filter(
        section=section, subject__isnull=True
    ).first() or TeachingAssignment.objects.create(
        school=school, staff=head_staff, section=section, starts_on=dt.date(2026, 4, 1)
    )
    return {"change": change.pk, "assignment": class_teacher.pk, "staff": head_staff.pk}
