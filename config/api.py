"""The JSON API at /api/v1/; its OpenAPI document is committed as docs/openapi.json."""

from ninja import NinjaAPI

from hazri.accounts.api import router as accounts_router
from hazri.accounts.auth import api_auth
from hazri.admissions.api import router as admissions_router
from hazri.attendance.api import router as attendance_router
from hazri.common.api import install_error_handlers
from hazri.common.jsonio import JSONParser, ORJSONRenderer
from hazri.credentials.api import router as credentials_router
from hazri.dashboards.api import router as dashboards_router
from hazri.dashboards.api_follow_ups import router as follow_ups_router
from hazri.dashboards.api_reporting import router as reporting_router
from hazri.faces.api import router as faces_router
from hazri.interop.api import router as interop_router
from hazri.interop.api_edfi import router as edfi_router
from hazri.journal.api_diary import router as diary_router
from hazri.journal.api_journal import router as journal_router
from hazri.journal.api_setup import router as journal_setup_router
from hazri.messaging.api import router as messaging_router
from hazri.notify.api import router as notify_router
from hazri.records.api import router as records_router
from hazri.registers.api import router as registers_router
from hazri.reportcards.api import router as reportcards_router
from hazri.rosters.api import router as rosters_router
from hazri.signon.api import router as signon_router
from hazri.support.api import router as support_router
from hazri.sync.api import router as sync_router

api = NinjaAPI(
    title="Hazri API",
    version="1",
    description=(
        "Attendance for public school systems. Devices log in with POST /auth/token and "
        "send 'Authorization: Bearer <token>'; pages use the session cookie. Bodies are "
        "JSON (Content-Type: application/json, at most 8 MiB), plain or gzipped "
        "(Content-Encoding: gzip; the limit holds for the unpacked body); answers come "
        "in brotli or gzip where Accept-Encoding offers them. Every error answers with "
        "{detail, errors: [{field, message, code}]}; while the database cannot be reached, "
        "a 503 with Retry-After and code 'unavailable': send the same request again."
    ),
    auth=api_auth,
    urls_namespace="api",
    renderer=ORJSONRenderer(),
    parser=JSONParser(),
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", attendance_router)
api.add_router("", sync_router)
api.add_router("", registers_router)
api.add_router("", dashboards_router)
api.add_router("", follow_ups_router)
api.add_router("", reporting_router)
api.add_router("", faces_router)
api.add_router("", journal_router)
api.add_router("", diary_router)
api.add_router("", journal_setup_router)
api.add_router("", signon_router)
api.add_router("", messaging_router)
api.add_router("", notify_router)
api.add_router("", admissions_router)
api.add_router("", records_router)
api.add_router("", reportcards_router)
api.add_router("", credentials_router)
api.add_router("", support_router)
api.add_router("", rosters_router)
api.add_router("", interop_router)
api.add_router("", edfi_router)
