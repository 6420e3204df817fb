from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "hazri.admissions"
    label = "admissions"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.admissions import models as m

        # An application is in the queue of the school that holds it now; a seat plan
        # is its school's. (A family reaches its own applications by applicant or by
        # verified phone, not through restrict: the child is not a Student yet.)
        school = access.Reach(school="school_id", unit_path="school__unit_path")
        access.register(m.Application, school)
        access.register(m.SeatPlan, school)
