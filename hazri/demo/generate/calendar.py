"""The session and the calendar of the demo district.

Indian school sessions run from 1 April to 31 March. National days are fixed; most
festivals follow the lunar calendar, so their dates come from a small table per
year (as published in the state's holiday lists; a festival may shift by a day
where the moon is seen later). Years outside the table get the fixed dates only.
"""

import datetime as dt
from dataclasses import dataclass

from hazri.org.calendar import CalendarMark, DayStatus, day_status


@dataclass(frozen=True)
class Session:
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class Entry:
    day: dt.date
    kind: str  # "holiday" | "national" | "working"
    name: str
    name_local: str


def session_for(today: dt.date) -> Session:
    first_year = today.year if today.month >= 4 else today.year - 1
    return Session(
        name=f"{first_year}-{(first_year + 1) % 100:02d}",
        starts_on=dt.date(first_year, 4, 1),
        ends_on=dt.date(first_year + 1, 3, 31),
    )


# (month, day, kind, name, name_local); national days first so a festival falling on
# one of them does not replace it.
FIXED = [
    (8, 15, "national", "Independence Day", "स्वतंत्रता दिवस"),
    (1, 26, "national", "Republic Day", "गणतंत्र दिवस"),
    (10, 2, "holiday", "Gandhi Jayanti", "गांधी जयंती"),
    (4, 14, "holiday", "Ambedkar Jayanti", "डॉ. अंबेडकर जयंती"),
    (12, 25, "holiday", "Christmas", "क्रिसमस"),
]

FESTIVALS = {
    "shivratri": ("Mahashivratri", "महाशिवरात्रि"),
    "holi": ("Holi", "होली"),
    "eid_fitr": ("Eid-ul-Fitr", "ईद-उल-फ़ित्र"),
    "good_friday": ("Good Friday", "गुड फ्राइडे"),
    "eid_adha": ("Eid-ul-Adha (Bakrid)", "ईद-उल-अज़हा (बकरीद)"),
    "muharram": ("Muharram", "मुहर्रम"),
    "rakhi": ("Raksha Bandhan", "रक्षाबंधन"),
    "janmashtami": ("Janmashtami", "जन्माष्टमी"),
    "dussehra": ("Dussehra", "दशहरा"),
    "diwali": ("Deepawali", "दीपावली"),
    "gurpurab": ("Guru Nanak Jayanti", "गुरु नानक जयंती"),
}

# year -> festival -> (month, day)
LUNAR: dict[int, dict[str, tuple[int, int]]] = {
    2024: {
        "shivratri": (3, 8),
        "holi": (3, 25),
        "good_friday": (3, 29),
        "eid_fitr": (4, 11),
        "eid_adha": (6, 17),
        "muharram": (7, 17),
        "rakhi": (8, 19),
        "janmashtami": (8, 26),
        "dussehra": (10, 12),
        "diwali": (10, 31),
        "gurpurab": (11, 15),
    },
    2025: {
        "shivratri": (2, 26),
        "holi": (3, 14),
        "eid_fitr": (3, 31),
        "good_friday": (4, 18),
        "eid_adha": (6, 7),
        "muharram": (7, 6),
        "rakhi": (8, 9),
        "janmashtami": (8, 16),
        "dussehra": (10, 2),
        "diwali": (10, 20),
        "gurpurab": (11, 5),
    },
    2026: {
        "shivratri": (2, 15),
        "holi": (3, 4),
        "eid_fitr": (3, 21),
        "good_friday": (4, 3),
        "eid_adha": (5, 27),
        "muharram": (6, 26),
        "rakhi": (8, 28),
        "janmashtami": (9, 4),
        "dussehra": (10, 20),
        "diwali": (11, 8),
        "gurpurab": (11, 24),
    },
    2027: {
        "shivratri": (3, 6),
        "eid_fitr": (3, 10),
        "holi": (3, 22),
        "good_friday": (3, 26),
        "eid_adha": (5, 17),
        "muharram": (6, 15),
        "rakhi": (8, 17),
        "janmashtami": (8, 25),
        "dussehra": (10, 9),
        "diwali": (10, 29),
        "gurpurab": (11, 14),
    },
    2028: {
        "shivratri": (2, 23),
        "eid_fitr": (2, 27),
        "holi": (3, 11),
        "good_friday": (4, 14),
        "eid_adha": (5, 5),
        "muharram": (6, 4),
        "rakhi": (8, 5),
        "janmashtami": (8, 13),
        "dussehra": (9, 27),
        "diwali": (10, 17),
        "gurpurab": (11, 2),
    },
    2029: {
        "shivratri": (2, 11),
        "eid_fitr": (2, 14),
        "holi": (3, 1),
        "good_friday": (3, 30),
        "eid_adha": (4, 24),
        "muharram": (5, 24),
        "rakhi": (8, 23),
        "janmashtami": (9, 1),
        "dussehra": (10, 16),
        "diwali": (11, 5),
        "gurpurab": (11, 21),
    },
    2030: {
        "shivratri": (3, 2),
        "eid_fitr": (2, 5),
        "holi": (3, 20),
        "good_friday": (4, 19),
        "eid_adha": (4, 14),
        "muharram": (5, 14),
        "rakhi": (8, 13),
        "janmashtami": (8, 21),
        "dussehra": (10, 6),
        "diwali": (10, 26),
        "gurpurab": (11, 10),
    },
}

SUMMER = ("Summer vacation", "ग्रीष्मकालीन अवकाश")
DIWALI_BREAK = ("Deepawali vacation", "दीपावली अवकाश")


def _festival(year: int, key: str) -> dt.date | None:
    found = LUNAR.get(year, {}).get(key)
    return dt.date(year, *found) if found else None


def _days(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(days=offset) for offset in range(count)]


def state_entries(session: Session) -> list[Entry]:
    """The state's calendar for the session: national days, holidays and vacations."""
    years = (session.starts_on.year, session.ends_on.year)
    entries: list[Entry] = []
    for year in years:
        for month, day_no, kind, name, local in FIXED:
            entries.append(Entry(dt.date(year, month, day_no), kind, name, local))
    # Schools close from 1 May and reopen on 16 June.
    entries += [Entry(day, "holiday", *SUMMER) for day in _days(dt.date(years[0], 5, 1), 46)]
    for year in years:
        for key, (name, local) in FESTIVALS.items():
            day = _festival(year, key)
            if day is None:
                continue
            if key == "diwali":
                # Dhanteras to Bhai Dooj: the Deepawali vacation.
                entries += [
                    Entry(other, "holiday", *DIWALI_BREAK)
                    for other in _days(day - dt.timedelta(days=2), 6)
                    if other != day
                ]
            entries.append(Entry(day, "holiday", name, local))
    return _within(entries, session)


def district_entries(session: Session) -> list[Entry]:
    """Local holidays the Collector of Sehore declares (he may declare three a year)."""
    entries = []
    for year in (session.starts_on.year, session.ends_on.year):
        diwali, holi = _festival(year, "diwali"), _festival(year, "holi")
        if diwali:
            entries.append(
                Entry(
                    diwali + dt.timedelta(days=12),
                    "holiday",
                    "Dev Uthani Gyaras (local holiday)",
                    "देव उठनी ग्यारस (स्थानीय अवकाश)",
                )
            )
        if holi:
            entries.append(
                Entry(
                    holi + dt.timedelta(days=4),
                    "holiday",
                    "Rang Panchami (local holiday)",
                    "रंग पंचमी (स्थानीय अवकाश)",
                )
            )
    return _within(entries, session)


FAIR = ("Village fair (mela)", "ग्राम मेला")


def _within(entries: list[Entry], session: Session) -> list[Entry]:
    """Entries inside the session, the first one kept where two fall on one day."""
    seen: set[dt.date] = set()
    kept = []
    for entry in entries:
        if session.starts_on <= entry.day <= session.ends_on and entry.day not in seen:
            seen.add(entry.day)
            kept.append(entry)
    return sorted(kept, key=lambda entry: entry.day)


def statuses(
    days: list[dt.date], *, weekly_offs: list[int], marks: list[CalendarMark]
) -> dict[dt.date, DayStatus]:
    """What each day is for one school, judged by the same rule the app uses."""
    by_day: dict[dt.date, list[CalendarMark]] = {}
    for mark in marks:
        by_day.setdefault(mark.day, []).append(mark)
    return {
        day: day_status(day, weekly_offs=weekly_offs, marks=by_day.get(day, [])) for day in days
    }
