"""Students, guardians, staff, and the dated links that place them in schools.

A student is one person for life (one record from class 1 onwards, across schools);
admissions and enrolments are dated so the roster of any past day can be rebuilt.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def ends_after_start(end: str, start: str, *, name: str) -> models.CheckConstraint:
    """A dated link that ends, ends on or after the day it starts (open: no end yet)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "O", _("Other")


class Student(models.Model):
    state_id = models.CharField(
        max_length=32, unique=True, null=True, blank=True, help_text="State enrolment id (Samagra)"
    )
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student",
    )
    # Devices download only what changed since their last sync (hazri.sync).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian",
    )
    children: "models.ManyToManyField[Student, Guardianship]" = models.ManyToManyField(
        Student, through="Guardianship", related_name="guardians"
    )

    def __str__(self) -> str:
        return self.name


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        OTHER = "other", _("Guardian")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE)
    student = models.ForeignKey(Student, on_delete=models.CASCADE)
    relation = models.CharField(max_length=10, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="guardianship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.relation}) of {self.student}"


class Admission(models.Model):
    """A student's stay at one school, under that school's admission number (S.R. No.)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="admissions")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="admissions")
    admission_no = models.CharField(max_length=20)
    admitted_on = models.DateField()
    # The last day on the school's roll (inclusive); it equals the end of the
    # admission's last enrolment: people.services.leaving, the only writers' rule.
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "admission_no"], name="admission_unique_number"
            ),
            # The part of the leaving rule (people.services.leaving) one row can hold.
            ends_after_start("left_on", "admitted_on", name="admission_leaves_after_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.admission_no} {self.student}"


class Enrolment(models.Model):
    """A student on the roll of one section from `starts_on` to `ends_on` (inclusive)."""

    class Origin(models.TextChoices):
        # SPEC §3.2: the roll lists repeaters first, then promoted students, then
        # new admissions in the order they were admitted.
        REPEATER = "repeater", _("Failed or supplementary")
        PROMOTED = "promoted", _("Promoted")
        NEW = "new", _("New admission")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="enrolments")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments")
    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="enrolments")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)  # the last day on this roll
    roll_no = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["school", "section", "starts_on"])]
        constraints = [
            ends_after_start("ends_on", "starts_on", name="enrolment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.section}"


class Staff(models.Model):
    """A member of staff as the HR system (HRMIS) knows them."""

    employee_code = models.CharField(max_length=32, unique=True, help_text="HRMIS code")
    name = models.CharField(max_length=200)
    name_local = models.CharField(max_length=200, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices)
    phone = models.CharField(max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    class Meta:
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


class Posting(models.Model):
    """Staff posted to a school; adding or ending one is the drawing officer's act."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of school")
        ADMIN = "admin", _("School administrator")
        TEACHER = "teacher", _("Teacher")
        OTHER = "other", _("Other staff")

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="postings")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="postings")
    role = models.CharField(max_length=10, choices=Role.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.staff} at {self.school}"


class TeachingAssignment(models.Model):
    """Who teaches whom: a member of staff and a section, for one subject or, with no
    subject, as the section's class teacher, from `starts_on` to `ends_on` (inclusive).

    The permission model (accounts.access) judges an assignment on the day being
    marked or graded, as it judges a posting."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="assignments")
    subject = models.ForeignKey(
        "org.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "section", "starts_on"])]
        constraints = [
            ends_after_start("ends_on", "starts_on", name="assignment_ends_after_start"),
        ]

    def __str__(self) -> str:
        what = self.subject or _("class teacher")
        return f"{self.staff} – {self.section} ({what})"

    @property
    def is_class_teacher(self) -> bool:
        return self.subject_id is None
