from django.apps import AppConfig
from django.db.models import Model


class JournalConfig(AppConfig):
    name = "hazri.journal"
    label = "journal"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.journal import models as m

        # A section's journal reaches its section; what is about one student reaches
        # that student too (a family sees its own child's, and only that).
        school = {"school": "school_id", "unit_path": "school__unit_path"}
        reaches: list[tuple[access.Reach, list[type[Model]]]] = [
            (access.Reach(**school), [m.Term, m.Period, m.Meeting]),
            (
                access.Reach(**school, section="section_id"),
                [m.Slot, m.Change, m.Lesson, m.Homework],
            ),
            (
                access.Reach(**school, section="section_id", student="student_id"),
                [m.Grade, m.TermGrade, m.Remark],
            ),
            (access.Reach(**school, student="student_id"), [m.Acknowledgement, m.AbsenceNotice]),
            (access.Reach(**school, section="homework__section_id"), [m.Attachment]),
        ]
        for reach, models in reaches:
            for model in models:
                access.register(model, reach)

        # The roll call shows what families told in advance (attendance may not import us).
        from hazri.attendance import seams
        from hazri.journal.selectors.diary import told_on

        seams.plug_day_notes(told_on)
