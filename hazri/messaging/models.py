"""Messages between a child's family and the school's staff (SPEC §5.4), and a class
teacher's notices to a section's parents.

A thread is about one child, between the child's guardians and one member of staff.
Nothing is deleted: a message or notice withdrawn by its author stays stored, and
readers see who withdrew it, when and why. Every table carries its school.
"""

from django.conf import settings
from django.db import models


class Thread(models.Model):
    """Letters about one child between the child's guardians and one member of staff."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    last_message_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["school", "staff", "last_message_at"], name="msg_thread_staff"),
            models.Index(fields=["student", "last_message_at"], name="msg_thread_student"),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    posted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["school", "thread", "id"], name="msg_message_thread")]

    def __str__(self) -> str:
        return f"{self.thread_id}/{self.pk}"


class ClassNotice(models.Model):
    """A class teacher's notice to all the families of a section."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["school", "section", "posted_at"], name="msg_notice")]

    def __str__(self) -> str:
        return self.title


class MessageFile(models.Model):
    """A file given with a message or a notice, checked for size and type before it is
    stored; served only to those who may read what it came with."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    notice = models.ForeignKey(
        ClassNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(message__isnull=True) ^ models.Q(notice__isnull=True),
                name="msg_file_message_or_notice",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ThreadRead(models.Model):
    """How far a user has read a thread: every message up to this one."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_read = models.BigIntegerField(default=0, help_text="The id of the last message read")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="msg_thread_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read}"


class NoticeRead(models.Model):
    """A guardian has read a notice (the class teacher's read receipts)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(ClassNotice, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="msg_notice_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notice_id}"
