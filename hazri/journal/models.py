"""The school's journal: its bell schedule, terms and timetable (with the day's
changes), the lessons taught, homework, grades, term grades and remarks; and what
families do with the diary: a week acknowledged, an absence told in advance.

Every table carries its school (Citus distributes on it); grades and term grades are
never overwritten: a change is a new version with who, when and why, as roll calls.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    """How a state (a unit) or one school grades: the scale and the kinds of work
    with their weights. The nearest scheme up the tree from the school applies."""

    unit = models.OneToOneField(
        "org.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.OneToOneField(
        "org.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scale = models.CharField(max_length=20, help_text="A key of journal.rules.SCALES")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(school__isnull=True),
                name="journal_scheme_unit_or_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scale} ({self.unit_id or self.school_id})"


class WorkKind(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="kinds")
    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=60)
    name_local = models.CharField(max_length=60, blank=True)
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="journal_kind_code")]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A school's term within the year; once closed, only the head changes its grades."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(
        "org.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "name"], name="journal_term_name"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="journal_term_order"
            ),
        ]
        ordering = ["school_id", "starts_on"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """The bell schedule: a school's lesson periods and their times."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="journal_period_number"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="journal_period_order"
            ),
        ]
        ordering = ["school_id", "number"]

    def __str__(self) -> str:
        return f"{self.number}: {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Slot(models.Model):
    """The week's timetable of a section: on this weekday, in this period, this
    subject by this teacher, from one date to another (a new timetable from a date
    ends the old slots and starts new ones; none is edited in place)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(help_text="1 Monday … 7 Sunday")
    period = models.PositiveSmallIntegerField()
    subject = models.ForeignKey("org.Subject", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        "people.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "section", "weekday"], name="journal_slot_day")]

    def __str__(self) -> str:
        return f"{self.section_id} d{self.weekday} p{self.period}"


class Change(models.Model):
    """A change to one day's timetable: a substitute, a cancelled lesson, a lesson
    moved to another day or period, or an extra one."""

    class Kind(models.TextChoices):
        SUBSTITUTE = "substitute", _("Substitute teacher")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")
        EXTRA = "extra", _("Extra lesson")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    period = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.ForeignKey(
        "org.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        "people.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_day = models.DateField(null=True, blank=True)
    to_period = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "section", "day"], name="journal_change_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.section_id} {self.day} p{self.period}"


class Lesson(models.Model):
    """A lesson as taught: its topic, recorded by the teacher (a changed topic is a new
    version). One current per section, day and period."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("org.Subject", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    period = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=300)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    client_uuid = models.UUIDField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="journal_lesson_uuid"),
            models.UniqueConstraint(
                fields=["school", "section", "day", "period"],
                condition=models.Q(is_current=True),
                name="journal_lesson_one_current",
            ),
        ]
        indexes = [models.Index(fields=["school", "section", "day"], name="journal_lesson_day")]

    def __str__(self) -> str:
        return f"{self.section_id} {self.day} p{self.period}: {self.topic}"


class Homework(models.Model):
    """Homework set in a lesson, due on a day; a change is a new row that replaces it."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("org.Subject", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text="The lesson it was set in")
    period = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000)
    due_on = models.DateField()
    client_uuid = models.UUIDField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="journal_homework_uuid")
        ]
        indexes = [
            models.Index(fields=["school", "section", "due_on"], name="journal_homework_due"),
            models.Index(fields=["school", "section", "day"], name="journal_homework_set"),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.subject_id} due {self.due_on}"


class Attachment(models.Model):
    """A file given with homework (checked for size and type before it is stored)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """One grade of a student for a piece of work, as the teacher wrote it on the
    scheme's scale. A change is a new version with who and why; after its term is
    closed only the head may make one."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("org.Subject", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(WorkKind, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.CharField(max_length=10)
    points = models.DecimalField(max_digits=5, decimal_places=2, help_text="On 0-100")
    comment = models.CharField(max_length=500, blank=True, default="")
    # The work this is a grade for: the first version's UUID; every version keeps it.
    work = models.UUIDField()
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    client_uuid = models.UUIDField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True, default="", help_text="Why changed")
    withdrawn = models.BooleanField(default=False, help_text="This version takes the grade away")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="journal_grade_uuid"),
            models.UniqueConstraint(
                fields=["school", "work", "version"], name="journal_grade_version"
            ),
            models.UniqueConstraint(
                fields=["school", "work"],
                condition=models.Q(is_current=True),
                name="journal_grade_one_current",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "section", "subject", "term"],
                condition=models.Q(is_current=True),
                name="journal_grade_sheet",
            ),
            models.Index(
                fields=["school", "student", "day"],
                condition=models.Q(is_current=True),
                name="journal_grade_student",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.subject_id}: {self.value}"


class TermGrade(models.Model):
    """A student's grade for a subject and term (no term: the year's final grade),
    computed from the grades and confirmed by the teacher; versioned as grades."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("org.Subject", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computed = models.CharField(max_length=10, blank=True, default="")
    value = models.CharField(max_length=10)
    points = models.DecimalField(max_digits=5, decimal_places=2)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "subject", "student", "term"],
                condition=models.Q(is_current=True),
                name="journal_termgrade_one_current",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "section", "subject"], name="journal_termgrade_sheet")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.subject_id} {self.term_id}: {self.value}"


class Remark(models.Model):
    """Praise or a concern about a student. A concern may be held for the class
    teacher's review before the family sees it."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("Praise")
        CONCERN = "concern", _("Concern")

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible to the family")
        HELD = "held", _("Held for the class teacher")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        "org.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices)
    client_uuid = models.UUIDField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "client_uuid"], name="journal_remark_uuid")
        ]
        indexes = [models.Index(fields=["school", "student", "day"], name="journal_remark_student")]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id} {self.day}"


class Acknowledgement(models.Model):
    """A guardian signs a child's diary week (the paper diary's signature)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    week = models.DateField(help_text="The Monday of the week")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "week", "signed_by"], name="journal_ack_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} week of {self.week}"


class AbsenceNotice(models.Model):
    """A guardian tells the school in advance that a child will be absent, and why;
    it shows on the roll call of those days."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=500)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    told_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="journal_notice_order"
            )
        ]
        indexes = [models.Index(fields=["school", "starts_on"], name="journal_notice_day")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.starts_on}..{self.ends_on}"


class Meeting(models.Model):
    """A class meeting (a section's parents) or a school meeting (no section), shown
    in the diary of the week it falls in."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(
        "org.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["school", "starts_at"], name="journal_meeting_time")]
        ordering = ["school_id", "starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"
