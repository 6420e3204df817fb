"""Reads of OneRoster exchanges: one the user may see (theirs to exchange: the state's
administrator any, a school's head or administrator their school's), and the latest."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hazri.accounts.access import Action, Actor, restrict
from hazri.common.errors import NotFound
from hazri.interop.models import Exchange
from hazri.org.models import School


def exchanges_visible(actor: Actor) -> QuerySet[Exchange]:
    return restrict(Exchange.objects.all(), actor, Action.EXCHANGE).select_related("unit", "school")


def exchange_visible(actor: Actor, exchange_id: int) -> Exchange:
    found = exchanges_visible(actor).filter(pk=exchange_id).first()
    if found is None:
        raise NotFound(_("No exchange %(id)s of yours.") % {"id": exchange_id}, field="exchange")
    return found


def schools_to_exchange(actor: Actor) -> QuerySet[School]:
    """The schools the user may export or import (none for those who may not)."""
    return restrict(School.objects.all(), actor, Action.EXCHANGE).order_by("name")
