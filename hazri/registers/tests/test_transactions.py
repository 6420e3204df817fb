"""A write service is the outer transaction, and its audit event commits with it."""

import datetime as dt

import pytest
from django.db import transaction

from hazri.audit.models import AuditEvent
from hazri.registers import services
from hazri.registers.models import MonthCertification
from hazri.registers.services import month_certify
from hazri.registers.tests.test_register import OCTOBER, mark
from hazri.testing.world import World


def test_a_certification_and_its_audit_event_commit_together(world: World, monkeypatch) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")

    def refused(**_: object) -> None:
        raise RuntimeError("the audit table is full")

    monkeypatch.setattr(services, "audit_record", refused)
    with pytest.raises(RuntimeError):
        month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    # No certificate without its audit event: they are one transaction.
    assert not MonthCertification.objects.exists()
    monkeypatch.undo()
    made = month_certify(
        section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi
    )
    event = AuditEvent.objects.get(action="register.certify")
    assert event.object_id == str(made.pk)


def test_a_write_service_refuses_to_run_inside_another_transaction(world: World) -> None:
    """durable=True: a caller cannot hold the service's commit and roll it back after the
    head was told "certified" (the test's own transaction, pytest-django's, is allowed)."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
