"""The interop app's rows of the authorization matrix (merged in test_authorization_matrix)."""

import base64
import io
import zipfile

from .matrix_rules import API, Place, Rule, _page, each

# OneRoster (hazri.interop.oneroster): the state's administrator and a school's head or
# administrator (Action.EXCHANGE); officers and the rest never. "Not yours" is a 404.
EXCHANGES = {"superuser", "head", "school_admin"}


def _empty_bundle() -> str:
    """A valid bundle that carries nothing: every file absent."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "manifest.csv", "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n"
        )
    return base64.b64encode(buffer.getvalue()).decode()


def _import_body(p: Place) -> dict[str, object]:
    return {"school": p.school, "data": _empty_bundle(), "name": "empty.zip"}


RULES: dict[str, Rule] = {
    "POST /api/v1/oneroster/exports": Rule(
        "POST",
        lambda p: f"{API}/oneroster/exports",
        each(EXCHANGES, 202),
        body=lambda p: {"school": p.school},
    ),
    "POST /api/v1/oneroster/imports": Rule(
        "POST", lambda p: f"{API}/oneroster/imports", each(EXCHANGES, 202), body=_import_body
    ),
    "GET /api/v1/oneroster/exchanges/{exchange_id}": Rule(
        "GET", lambda p: f"{API}/oneroster/exchanges/{p.exchange}", each(EXCHANGES, 200)
    ),
    # The world's export is still running: no file for anyone yet (the API test fetches one).
    "GET /api/v1/oneroster/exchanges/{exchange_id}/file": Rule(
        "GET", lambda p: f"{API}/oneroster/exchanges/{p.exchange}/file", {}
    ),
}
PAGES: dict[str, Rule] = {
    "interop_oneroster": _page(lambda p: "/interop/oneroster/", each(EXCHANGES, 200), outside=None),
    "interop_oneroster_export": Rule(
        "POST",
        lambda p: "/interop/oneroster/export/",
        each(EXCHANGES, 302),
        anonymous=302,
        body=lambda p: {"area": f"school:{p.school}"},
    ),
    # No file chosen: the form comes back refused (422) to those who may import.
    "interop_oneroster_import": Rule(
        "POST",
        lambda p: "/interop/oneroster/import/",
        each(EXCHANGES, 422),
        anonymous=302,
        outside=None,
        body=lambda p: {"school": str(p.school)},
    ),
    "interop_oneroster_exchange": _page(
        lambda p: f"/interop/oneroster/{p.exchange}/", each(EXCHANGES, 200)
    ),
    "interop_oneroster_download": _page(lambda p: f"/interop/oneroster/{p.exchange}/download/", {}),
}

# The Ed-Fi export's rows live in their own file.
from .matrix_rules_interop_edfi import PAGES as _EDFI_PAGES  # noqa: E402
from .matrix_rules_interop_edfi import RULES as _EDFI_RULES  # noqa: E402

RULES.update(_EDFI_RULES)
PAGES.update(_EDFI_PAGES)
