from django.apps import AppConfig


class FacesConfig(AppConfig):
    name = "hazri.faces"
    label = "faces"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.faces.models import Consent, PhotoSet, Proposed, Reference, SeenFace

        # A student's consent and references reach the student (a guardian sees their
        # own child's); a class's photos and faces reach only the section.
        for model in (Consent, Reference):
            access.register(
                model,
                access.Reach(
                    school="school_id", unit_path="school__unit_path", student="student_id"
                ),
            )
        access.register(
            PhotoSet,
            access.Reach(school="school_id", unit_path="school__unit_path", section="section_id"),
        )
        access.register(
            SeenFace,
            access.Reach(
                school="school_id",
                unit_path="school__unit_path",
                section="photo__photo_set__section_id",
            ),
        )
        access.register(
            Proposed,
            access.Reach(
                school="school_id", unit_path="school__unit_path", section="photo_set__section_id"
            ),
        )
