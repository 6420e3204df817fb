"""What every page's header needs from the registers: how many changes wait for the
user's decision (the approval queue's count), and whether they oversee an area."""

from typing import Any

from django.http import HttpRequest

from hazri.accounts.access import actor_of
from hazri.registers.approvals import approvals_count


def approvals(request: HttpRequest) -> dict[str, Any]:
    """`pending_approvals`, counted only when a template reads it (base.html, once per
    page) and only for a user with a role that approves: one COUNT on the request's
    actor, whose postings and areas the page has usually read already."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted: list[int] = []

    def pending_approvals() -> int:
        if not counted:
            counted.append(approvals_count(actor_of(request)))
        return counted[0]

    def oversees() -> bool:
        # The header's Dashboard link: the areas the count above reads anyway.
        actor = actor_of(request)
        return actor.is_superuser or bool(actor.areas)

    return {"pending_approvals": pending_approvals, "oversees_areas": oversees}
