"""The rosters API's request and response shapes."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from hazri.common.api import Day, Id, Text

# The API's body is at most 8 MB (settings.DATA_UPLOAD_MAX_MEMORY_SIZE): a larger file
# goes through the page or the command line (32 MB).
MAX_BASE64 = 8 * 1024 * 1024


class RosterFileIn(Schema):
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=MAX_BASE64, description="The CSV or XLSX file, base64")


class RosterImportIn(Schema):
    kind: Literal["students", "staff"]
    file: RosterFileIn
    mapping: Id | None = Field(None, description="A saved mapping of the state's own layout")
    on: Day | None = Field(
        None,
        description="The day the import takes effect (default today): moves start on it, "
        "those not in the file leave the day before",
    )


class RosterColumnIn(Schema):
    ours: Text = Field(max_length=32, description="A column of the default layout")
    theirs: Text = Field(max_length=64, description="Their name for it")


class RosterMappingIn(Schema):
    unit: Id
    name: Text = Field(max_length=80)
    kind: Literal["students", "staff"]
    columns: list[RosterColumnIn] = Field([], max_length=20)
    date_formats: list[Annotated[Text, Field(max_length=32)]] = Field(
        [], max_length=5, description="e.g. DD/MM/YYYY"
    )


class RosterMappingOut(Schema):
    id: int
    unit: int
    name: str
    kind: str
    columns: dict[str, str]
    date_formats: list[str]
    version: int
    updated_by: str | None
    updated_at: dt.datetime


class RosterPartOut(Schema):
    school: int
    school_code: str
    school_name: str
    rows: int
    status: str
    counts: dict[str, int]
    error: str


class RosterJobOut(Schema):
    id: int
    kind: str
    file_name: str
    mapping: int | None
    mapping_version: int | None
    on: dt.date
    # previewing (a task plans every school), previewed, queued, running, done, failed.
    status: str
    created_at: dt.datetime
    rows: int
    rows_done: int
    schools: int
    schools_done: int
    counts: dict[str, int]
    may_confirm: bool
    parts: list[RosterPartOut]
    error: str


class RosterLineOut(Schema):
    line: int = Field(description="The file's line (1 is the header); 0: not in the file")
    school: int | None
    action: str
    key: str
    name: str
    changes: dict[str, list[str]] = Field(description="field: [old, new]")
    column: str
    reason: str


class RosterLinesOut(Schema):
    page: int
    pages: int
    total: int
    lines: list[RosterLineOut]
