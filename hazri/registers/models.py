"""Month certification (SPEC §3.13): the head signs a section's month; it is then locked.

A roll call changed after its month was certified waits for the approval of an
officer over the school (the block officer) before it counts, and the register
shows it as a post-certification change.
"""

from django.conf import settings
from django.db import models


class MonthCertification(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey("org.Section", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField()
    checked_by = models.CharField(max_length=200, help_text="Name of the checker who verified it")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "section", "month"], name="month_certification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.month:%Y-%m} certified"
