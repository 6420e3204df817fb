"""The header's link to the messages, with how many are unread: counted only when a
template reads it (base.html, once a page), for staff and families."""

from typing import Any

from django.http import HttpRequest

from hazri.accounts.access import actor_of
from hazri.messaging.selectors import unread_total


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted: list[int | None] = []

    def messages_unread() -> int | None:
        """None: the user writes no messages (no posting, no child); else the count."""
        if not counted:
            # Staff by their postings, families by their children; an officer (whose
            # areas the header has read already) writes no messages.
            actor = actor_of(request)
            if actor.postings:
                writes = bool(actor.schools_posted()) or bool(actor.children)
            else:
                writes = not actor.areas and not actor.is_superuser and bool(actor.children)
            counted.append(unread_total(actor) if writes else None)
        return counted[0]

    return {"messages_unread": messages_unread}
