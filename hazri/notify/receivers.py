"""What the messaging app tells us: a new message in a thread about a child is a notice
to that child's guardians (all but the one who wrote it); a class teacher's notice to a
section is one to the guardians of the children on its roll."""

from typing import Any

from hazri.messaging.models import ClassNotice, Message
from hazri.notify.kinds import notify_class_notice, notify_message
from hazri.people.models import Guardianship


def on_message_posted(sender: Any, message: Message, **kwargs: Any) -> None:
    thread = message.thread
    guardians = Guardianship.objects.filter(student_id=thread.student_id).exclude(
        guardian__user_id=message.author_id
    )
    author = message.author
    notify_message(
        school_id=thread.school_id,
        student_id=thread.student_id,
        guardian_ids=guardians.values_list("guardian_id", flat=True),
        thread_id=thread.pk,
        message_id=message.pk,
        author=author.get_full_name() or author.get_username(),
    )


def on_notice_posted(sender: Any, notice: ClassNotice, **kwargs: Any) -> None:
    author = notice.author
    notify_class_notice(
        notice_id=notice.pk,
        section_id=notice.section_id,
        author=author.get_full_name() or author.get_username(),
        title=notice.title,
    )
