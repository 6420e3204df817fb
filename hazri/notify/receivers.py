"""What the messaging app tells us: a new message in a thread about a child is a notice
to that child's guardians (all but the one who wrote it)."""

from typing import Any

from hazri.messaging.models import Message
from hazri.notify.kinds import notify_message
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
