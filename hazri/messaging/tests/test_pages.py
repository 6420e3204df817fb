"""The pages: a teacher starts a thread from the form (students of her sections), a
parent from his (child and teacher), files by form, a class notice by form, Hindi."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hazri.messaging.models import ClassNotice, Message, MessageFile, Thread

from .msg_world import PDF, MsgWorld, api

pytestmark = pytest.mark.django_db


def test_a_teacher_writes_to_a_family_from_the_form(mw: MsgWorld) -> None:
    asha = api(mw.world.asha)
    form = asha.get("/messages/new/").content.decode()
    assert f'value="{mw.zoya.pk}"' in form and f'value="{mw.gopal.pk}"' not in form
    sent = asha.post(
        "/messages/new/",
        {
            "recipient": str(mw.zoya.pk),
            "subject": "Absent on Monday",
            "body": "Is Zoya well?",
            "attachment": SimpleUploadedFile("note.pdf", PDF, "application/pdf"),
        },
    )
    assert sent.status_code == 302
    thread = Thread.objects.get()
    assert (thread.student_id, thread.staff_id, thread.school_id) == (
        mw.zoya.pk,
        mw.asha_staff.pk,
        mw.world.school.pk,
    )
    assert MessageFile.objects.get().data == PDF
    # The father sees it unread in the header, opens it; the page's POST marks it read.
    father = api(mw.world.imran)
    assert 'data-nav="messages"' in father.get("/messages/").content.decode()
    assert 'data-unread="1">1<' in father.get("/messages/").content.decode()
    page = father.get(f"/messages/threads/{thread.pk}/").content.decode()
    assert "Is Zoya well?" in page and "data-mark-read" in page
    assert (
        father.post(f"/messages/threads/{thread.pk}/read/", HTTP_HX_REQUEST="true").status_code
        == 204
    )
    inbox = father.get("/messages/").content.decode()
    assert 'data-unread="0"' in inbox and 'data-unread="1"' not in inbox


def test_the_forms_refuse_what_is_wrong_and_name_it(mw: MsgWorld) -> None:
    father = api(mw.world.imran)
    form = father.get("/messages/new/").content.decode()
    assert f'value="{mw.zoya.pk}:{mw.asha_staff.pk}"' in form
    assert f'value="{mw.gopal.pk}:{mw.suresh_staff.pk}"' in form
    wrong_file = father.post(
        "/messages/new/",
        {
            "recipient": f"{mw.zoya.pk}:{mw.asha_staff.pk}",
            "subject": "S",
            "body": "B",
            "attachment": SimpleUploadedFile("x.pdf", b"\x00\x01binary", "application/pdf"),
        },
    )
    assert wrong_file.status_code == 422
    assert 'data-error-field="attachments[0]"' in wrong_file.content.decode()
    not_his = father.post(
        "/messages/new/",
        {"recipient": f"{mw.aarav.pk}:{mw.asha_staff.pk}", "subject": "S", "body": "B"},
    )
    assert not_his.status_code == 404
    assert (
        father.post("/messages/new/", {"recipient": "x", "subject": "S", "body": "B"}).status_code
        == 422
    )
    assert Thread.objects.count() == 0 and Message.objects.count() == 0


def test_a_class_notice_by_form(mw: MsgWorld) -> None:
    asha = api(mw.world.asha)
    listing = asha.get("/messages/notices/").content.decode()
    assert f'data-notice-new="{mw.world.section.pk}"' in listing
    assert api(mw.farah).get(f"/sections/{mw.world.section.pk}/notices/new/").status_code == 403
    sent = asha.post(
        f"/sections/{mw.world.section.pk}/notices/new/",
        {
            "title": "Trip",
            "body": "Friday",
            "attachment": SimpleUploadedFile("t.txt", b"Bring lunch"),
        },
    )
    assert sent.status_code == 302
    notice = ClassNotice.objects.get()
    assert notice.files.get().media_type == "text/plain"
    father = api(mw.world.imran)
    assert father.post(f"/messages/notices/{notice.pk}/read/").status_code == 302
    assert "data-read" in father.get("/messages/notices/").content.decode()
    assert 'data-receipts="1/2"' in asha.get("/messages/notices/").content.decode()


def test_the_pages_speak_hindi(mw: MsgWorld) -> None:
    mw.world.imran.language = "hi"
    mw.world.imran.save(update_fields=["language"])
    page = api(mw.world.imran).get("/messages/").content.decode()
    assert "नया संदेश" in page and "कक्षा की सूचनाएँ" in page
