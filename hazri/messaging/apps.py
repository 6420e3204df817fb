from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "hazri.messaging"
    label = "messaging"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.messaging import models as m

        # A thread reaches its school and its child (the child's guardians); a notice
        # its section. Who of the school's staff reads a thread is narrowed further to
        # its own member of staff (messaging.selectors.threads_of).
        school = {"school": "school_id", "unit_path": "school__unit_path"}
        access.register(m.Thread, access.Reach(**school, student="student_id"))
        access.register(m.ClassNotice, access.Reach(**school, section="section_id"))
