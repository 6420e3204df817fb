from django.apps import AppConfig


class ReportCardsConfig(AppConfig):
    name = "hazri.reportcards"
    label = "reportcards"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.reportcards.models import CardRemark, ReportCard

        # A card is the school's, the section's and the student's: staff and officers
        # see the school's, a family its own child's.
        reach = access.Reach(
            school="school_id",
            unit_path="school__unit_path",
            section="section_id",
            student="student_id",
        )
        for model in (ReportCard, CardRemark):
            access.register(model, reach)
