"""The OneRoster 1.2 CSV binding as far as Hazri speaks it: file names, columns in the
standard's order, required columns, value sets and formats (docs/oneroster.md cites the
sections). Our own extension columns follow the standard's, named `metadata.hazri.*`."""

import datetime as dt
import re

MANIFEST = "manifest.csv"
MANIFEST_VERSION = "1.0"
ONEROSTER_VERSION = "1.2"

# The rostering files we read and write, in the order we write and read them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "orgs.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "name",
        "type",
        "identifier",
        "parentSourcedId",
    ),
    "academicSessions.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    "courses.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
    "classes.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
    "users.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ),
    "roles.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ),
    "enrollments.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
    "demographics.csv": (
        "sourcedId",
        "status",
        "dateLastModified",
        "birthDate",
        "sex",
        "americanIndianOrAlaskaNative",
        "asian",
        "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander",
        "white",
        "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity",
        "countryOfBirthCode",
        "stateOfBirthAbbreviation",
        "cityOfBirth",
        "publicSchoolResidenceStatus",
    ),
}
# Hazri's extension columns (after the standard's): what the standard has no place for
# and a round trip needs. A foreign bundle lacks them; the import then derives them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "orgs.csv": ("metadata.hazri.nameLocal",),
    "users.csv": ("metadata.hazri.nameLocal", "metadata.hazri.relation"),
    "roles.csv": ("metadata.hazri.admissionNo",),
    "classes.csv": ("metadata.hazri.sectionSourcedId",),
    "enrollments.csv": ("metadata.hazri.origin",),
}
# Columns a file must have (the binding's "Required" ones; status and dateLastModified
# are required in value only in a delta file).
REQUIRED: dict[str, tuple[str, ...]] = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "courses.csv": ("sourcedId", "title", "orgSourcedId"),
    "classes.csv": (
        "sourcedId",
        "title",
        "courseSourcedId",
        "classType",
        "schoolSourcedId",
        "termSourcedIds",
    ),
    "users.csv": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "roles.csv": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics.csv": ("sourcedId",),
}
FILES = tuple(COLUMNS)
# The manifest's file.* entries for the files we neither read nor write.
OTHER_FILES = (
    "categories.csv",
    "classResources.csv",
    "courseResources.csv",
    "lineItemLearningObjectiveIds.csv",
    "lineItems.csv",
    "lineItemScoreScales.csv",
    "resources.csv",
    "resultLearningObjectiveIds.csv",
    "results.csv",
    "resultScoreScales.csv",
    "scoreScales.csv",
    "userProfiles.csv",
    "userResources.csv",
)
BULK, DELTA, ABSENT = "bulk", "delta", "absent"
ACTIVE, TO_BE_DELETED = "active", "tobedeleted"

# Value sets (the binding's enumerations; "ext:" marks an extension value).
ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
SESSION_TYPES = {"gradingPeriod", "semester", "schoolYear", "term"}
CLASS_TYPES = {"homeroom", "scheduled"}
ROLE_TYPES = {"primary", "secondary"}
ROLES = {
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
}
ENROLMENT_ROLES = {"administrator", "proctor", "student", "teacher"}
SEXES = {"male", "female", "other", "unspecified"}
BOOLEANS = {"true", "false"}
STUDENT_ROLES = {"student"}
GUARDIAN_ROLES = {"guardian", "parent", "relative"}

_EXT = re.compile(r"^ext:[A-Za-z0-9_.-]{1,60}$")


def is_value(value: str, allowed: set[str]) -> bool:
    """A value of the set, or an extension value (`ext:…`)."""
    return value in allowed or bool(_EXT.match(value))


def day_text(day: dt.date | None) -> str:
    """A date as the binding writes it: YYYY-MM-DD (empty: none)."""
    return day.isoformat() if day else ""


def moment_text(moment: dt.datetime | None) -> str:
    """A dateLastModified: ISO 8601 in UTC with milliseconds, e.g. 2026-11-18T04:30:00.000Z."""
    if moment is None:
        return ""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def grade_text(grade: int) -> str:
    """Our class 1–12 as the binding's grade code (CEDS): 01 … 12."""
    return f"{grade:02d}"


def grade_of(text: str) -> int | None:
    """The class 1–12 of a grade code (01 … 12, or 1 … 12), else None (KG, PK, …)."""
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None


def split_list(text: str) -> list[str]:
    """A list field's values (comma-separated inside one quoted CSV field)."""
    return [part.strip() for part in text.split(",") if part.strip()]
