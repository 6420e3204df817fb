from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "hazri.support"
    label = "support"

    def ready(self) -> None:
        from hazri.accounts import access
        from hazri.support.models import Ticket

        # A ticket reaches its school: the head and the officers over it see it
        # (Action.SUPPORT); who may act on it depends on its level (support.selectors).
        access.register(Ticket, access.Reach(school="school_id", unit_path="school__unit_path"))
