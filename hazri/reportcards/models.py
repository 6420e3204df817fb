"""Report cards per term and year: grades, attendance, remarks and rank, printed and signed.

A card is a frozen copy of the facts as they stood when it was issued (`facts`), so the
printed, signed document and the stored one are the same; a reissue is a new version
that revokes the old one, never an edit. Every table carries its school."""

from django.conf import settings
from django.db import models


class RankPolicy(models.Model):
    """Whether report cards in an area show the student's rank in the section. The
    nearest unit up the tree that has a policy decides; with none, no rank (off)."""

    unit = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    show_rank = models.BooleanField(default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.unit_id}: rank {'on' if self.show_rank else 'off'}"


class CardRemark(models.Model):
    """The class teacher's remark for a student's report card of a term (no term: the
    year's). A changed remark is a new version; the old one is kept."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(
        "journal.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "year", or "term-<id>": NULL terms are distinct in a unique constraint.
    period = models.CharField(max_length=24)
    text = models.CharField(max_length=600)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "student", "period"],
                condition=models.Q(is_current=True),
                name="reportcards_remark_one_current",
            )
        ]
        indexes = [
            models.Index(fields=["school", "section", "period"], name="reportcards_remark_section")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term_id}: {self.text[:30]}"


class ReportCard(models.Model):
    """One issued version of a student's report card for a term (no term: the year).
    Only the current version is valid; an older one was revoked when it was reissued."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    academic_year = models.ForeignKey(
        "org.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        "journal.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "year", or "term-<id>": NULL terms are distinct in a unique constraint.
    period = models.CharField(max_length=24)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    facts = models.JSONField(help_text="The card as issued (reportcards.facts.Card)")
    credential = models.ForeignKey(
        "credentials.Credential", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "student", "period", "version"],
                name="reportcards_card_version",
            ),
            models.UniqueConstraint(
                fields=["school", "section", "student", "period"],
                condition=models.Q(is_current=True),
                name="reportcards_card_one_current",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "section", "period"], name="reportcards_card_section"),
            models.Index(fields=["school", "student"], name="reportcards_card_student"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term_id} v{self.version}"
