"""Helpers of the rosters tests: the files of tests/data, uploads as a user makes them."""

import datetime as dt
from pathlib import Path
from typing import Any

from hazri.common.files import Upload
from hazri.rosters import services
from hazri.rosters.models import RosterJob, RosterMapping

DATA = Path(__file__).parent / "data"
ON = dt.date(2026, 11, 18)  # the import's day: a school day of the world's session


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def upload(
    user: Any, name: str, *, kind: str = "students", mapping: RosterMapping | None = None
) -> RosterJob:
    return services.import_upload(
        user=user, kind=kind, upload=Upload(name, data(name)), mapping=mapping, on=ON
    )
