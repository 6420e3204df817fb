"""The people services announce each roll change (hazri.people.signals.roll_changed)
to the apps above, who act on it (hazri/dashboards/tests/test_roll_changed.py)."""

import datetime as dt

from hazri.people import services
from hazri.people.signals import roll_changed
from hazri.testing.world import SCHOOL_DAY

NEXT_DAY = dt.date(2026, 11, 19)


def test_the_services_announce_each_roll_change(world) -> None:
    heard: list[tuple[list[int], dt.date]] = []

    def listen(*, school_ids: list[int], since: dt.date, **_: object) -> None:
        heard.append((school_ids, since))

    roll_changed.connect(listen, dispatch_uid="test.listen")
    try:
        services.student_transfer(
            student=world.students[1],
            section=world.other_section,
            admission_no="0050",
            on=NEXT_DAY,
            by=None,
        )
    finally:
        roll_changed.disconnect(dispatch_uid="test.listen")
    assert heard == [(sorted([world.school.pk, world.other_school.pk]), SCHOOL_DAY)]
