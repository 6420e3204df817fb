"""The API's JSON writer: what orjson writes itself, and what goes through ninja's encoder."""

import datetime as dt
import decimal
import json
import uuid
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy

from hazri.common.jsonio import answer, dumps


def test_dates_times_and_uuids_are_written_as_rfc_3339_and_text() -> None:
    ist = ZoneInfo("Asia/Kolkata")
    sent = uuid.UUID("12345678-1234-5678-1234-567812345678")
    data = {
        "utc": dt.datetime(2026, 11, 21, 3, 31, 7, 218544, tzinfo=dt.UTC),
        "whole": dt.datetime(2026, 11, 21, 3, 31, tzinfo=dt.UTC),
        "local": dt.datetime(2026, 11, 21, 9, 1, 7, tzinfo=ist),
        "day": dt.date(2026, 11, 21),
        "uuid": sent,
    }
    assert json.loads(dumps(data)) == {
        "utc": "2026-11-21T03:31:07.218544Z",
        "whole": "2026-11-21T03:31:00Z",
        "local": "2026-11-21T09:01:07+05:30",
        "day": "2026-11-21",
        "uuid": "12345678-1234-5678-1234-567812345678",
    }


def test_what_orjson_cannot_write_goes_through_ninjas_encoder() -> None:
    data = {"amount": decimal.Decimal("1.50"), "label": gettext_lazy("Present")}
    assert json.loads(dumps(data)) == {"amount": "1.50", "label": "Present"}


def test_an_answer_is_json_with_its_status() -> None:
    response = answer({"id": 7}, status=201)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"id": 7}
