"""Support tickets that escalate from the school to the block or district, the state and
headquarters (SPEC §4.5).

A ticket is handled at one level at a time: its school (the head), the nearest block or
district office above the school that has officers, the state, then headquarters
(superusers and the HQ group). Each level has a deadline, from its category; a ticket
still open when it passes is escalated by the scheduled task. Nothing is overwritten:
every step is a `TicketEvent` with who, when and why. Every table carries its school.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    SCHOOL = "school", _("School")
    OFFICE = "office", _("Block or district office")
    STATE = "state", _("State")
    HQ = "hq", _("Headquarters")


# The order a ticket climbs in.
LEVELS = [Level.SCHOOL, Level.OFFICE, Level.STATE, Level.HQ]


class Category(models.Model):
    """What a ticket is about, and how long each level has to handle it."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    school_hours = models.PositiveIntegerField(default=48)
    office_hours = models.PositiveIntegerField(default=72)
    state_hours = models.PositiveIntegerField(default=120)
    # Headquarters is the last level: its deadline only marks a ticket overdue there.
    hq_hours = models.PositiveIntegerField(default=168)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def hours_at(self, level: str) -> int:
        return int(getattr(self, f"{level}_hours"))


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Ticket(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=5000)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    # A guardian raises a ticket through a child's school: the child (who is told).
    student = models.ForeignKey(
        "people.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.SCHOOL)
    # The office or state unit handling it (None at the school and at headquarters).
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level_since = models.DateTimeField()
    due_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["school", "status", "level"], name="support_ticket_school"),
            models.Index(fields=["level", "unit", "status"], name="support_ticket_queue"),
            models.Index(fields=["raised_by", "changed_at"], name="support_ticket_raiser"),
            # The scheduled task: only the open tickets, by deadline.
            models.Index(
                fields=["due_at"], condition=models.Q(status="open"), name="support_ticket_due"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id}"


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    COMMENT = "comment", _("Comment")
    ESCALATED = "escalated", _("Escalated by hand")
    AUTO_ESCALATED = "auto_escalated", _("Escalated: deadline passed")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


class TicketEvent(models.Model):
    """One step of a ticket, never changed: who (None: the scheduled task), when, why."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    text = models.TextField(max_length=5000, blank=True, default="")
    from_level = models.CharField(max_length=10, choices=Level.choices, blank=True, default="")
    to_level = models.CharField(max_length=10, choices=Level.choices, blank=True, default="")
    to_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["school", "ticket", "id"], name="support_event_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class TicketFile(models.Model):
    """A file given with a ticket or a comment, checked for size and type before it is
    stored; served only to those who may see the ticket."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="files")
    event = models.ForeignKey(TicketEvent, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["school", "ticket"], name="support_file_ticket")]

    def __str__(self) -> str:
        return self.name
