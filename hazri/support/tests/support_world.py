"""The test world for support: head Ravi and teacher Asha at Rampur (cluster Rampur,
block Ashta, district Sehore, state Madhya Pradesh), block officer Meera; here also
district officer Dinesh, state officer Sunita and Hema of headquarters (the HQ group)."""

import base64
import datetime as dt
import importlib
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from hazri.accounts.models import OfficerGrant, User
from hazri.support.models import Category, EventKind, Level, Ticket, TicketEvent, TicketFile
from hazri.support.selectors import HQ_GROUP
from hazri.testing.world import PASSWORD, World

PDF = b"%PDF-1.4\n" + b"0" * 100


def seeded(code: str) -> Category:
    """A category the data migration seeds. A transactional test (the browser's) empties
    every table when it ends, the migration's rows too: they are seeded again here."""
    found = Category.objects.filter(code=code).first()
    if found is None:
        migration = importlib.import_module("hazri.support.migrations.0002_categories")
        migration.seed(apps, None)
        found = Category.objects.get(code=code)
    return found


@dataclass
class SupportWorld:
    world: World
    dinesh: User  # district officer, Sehore
    sunita: User  # state officer, Madhya Pradesh
    hema: User  # headquarters
    category: Category  # attendance app: 24 h at the school, 48 at the office, 72 at the state


def build_support(world: World) -> SupportWorld:
    dinesh = User.objects.create_user("dinesh", password=PASSWORD, first_name="Dinesh")
    OfficerGrant.objects.create(user=dinesh, unit=world.district, title="District officer")
    sunita = User.objects.create_user("sunita", password=PASSWORD, first_name="Sunita")
    OfficerGrant.objects.create(user=sunita, unit=world.state, title="State officer")
    hema = User.objects.create_user("hema", password=PASSWORD, first_name="Hema")
    hema.groups.add(Group.objects.get_or_create(name=HQ_GROUP)[0])
    return SupportWorld(
        world=world,
        dinesh=dinesh,
        sunita=sunita,
        hema=hema,
        category=seeded("attendance_app"),
    )


def api(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class TicketObjects:
    ticket: Ticket
    file: TicketFile


def ticket_objects(school_id: int, raised_by: User) -> TicketObjects:
    """Stored as the services store them (the matrix's and the GET tests' world): a
    ticket at the school's level, raised with a PDF."""
    now = timezone.now()
    category = seeded("other")
    ticket = Ticket.objects.create(
        school_id=school_id,
        category=category,
        description="The tablet does not start",
        raised_by=raised_by,
        raised_at=now,
        level=Level.SCHOOL,
        level_since=now,
        due_at=now + dt.timedelta(hours=category.school_hours),
        changed_at=now,
    )
    event = TicketEvent.objects.create(
        school_id=school_id, ticket=ticket, kind=EventKind.RAISED, by=raised_by, at=now
    )
    stored = TicketFile.objects.create(
        school_id=school_id,
        ticket=ticket,
        event=event,
        name="photo.pdf",
        media_type="application/pdf",
        size=len(PDF),
        data=PDF,
    )
    return TicketObjects(ticket, stored)
