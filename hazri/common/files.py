"""Files people attach (homework, messages, notices): their size and type checked
from the first bytes before the rest is decoded or stored, and served back privately.

The type is told by the file's own first bytes, never by its name or the type the
browser claims: PDF, JPEG, PNG, WebP or plain UTF-8 text. A base64 body's size is
judged from its length and its type from its first decoded bytes, before the whole is
decoded; an uploaded form file's from its size and first chunk before it is read.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from hazri.common.api import NO_CONTROLS
from hazri.common.errors import Invalid

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# The types a file may be, told by its first bytes (not its name).
_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
# Enough of a file to tell its type (and that text is text).
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The media type the first bytes show: PDF, JPEG, PNG, WebP or plain UTF-8 text."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:HEAD_BYTES]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut where the first bytes end is still text (a shorter file was
        # not cut: it ends there).
        if len(head) < HEAD_BYTES or error.start < len(head) - 3:
            return None
        text = head[: error.start].decode("utf-8")
    if data and not any((ch < " " or ch == "\x7f") and ch not in "\t\n\r" for ch in text):
        return "text/plain"
    return None


def _too_large(name: str, where: str) -> Invalid:
    return Invalid(
        _("%(name)s is larger than 5 MB.") % {"name": name}, field=where, code="too_large"
    )


def _bad_type(name: str, where: str) -> Invalid:
    return Invalid(
        _("%(name)s is not a PDF, JPEG, PNG, WebP or plain text file.") % {"name": name},
        field=where,
        code="bad_type",
    )


def check_upload(upload: Upload, where: str) -> str:
    """The upload's media type, or Invalid naming `where.name` or `where.data`."""
    if not upload.name.strip():
        raise Invalid(_("Name the file."), field=f"{where}.name", code="required")
    if not re.fullmatch(NO_CONTROLS, upload.name):
        raise Invalid(
            _("The file's name holds a control character."),
            field=f"{where}.name",
            code="control_character",
        )
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise _too_large(upload.name, f"{where}.data")
    media = sniff(upload.data[:HEAD_BYTES])
    if media is None:
        raise _bad_type(upload.name, f"{where}.data")
    return media


# A table to import (hazri.rosters, hazri.interop): CSV text or an XLSX workbook (a ZIP).
MAX_TABLE_BYTES = 32 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


def check_table(upload: Upload, where: str, *, most: int = MAX_TABLE_BYTES) -> str:
    """A CSV (UTF-8 text) or XLSX upload's media type, told by its size and first bytes;
    Invalid naming `where` otherwise."""
    if len(upload.data) > most:
        raise Invalid(
            _("%(name)s is larger than %(most)s MB.")
            % {"name": upload.name, "most": most // (1024 * 1024)},
            field=where,
            code="too_large",
        )
    if upload.data.startswith(XLSX_MAGIC):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # Text in any encoding passes here: common.tabular names the line that is not UTF-8
    # or holds a NUL. Other control bytes, or a known binary type, are no table.
    head = upload.data[:HEAD_BYTES]
    binary = sniff(head) not in (None, "text/plain") or any(
        byte < 32 and byte not in (0, 9, 10, 13) for byte in head
    )
    if not head.strip() or binary:
        raise Invalid(
            _("%(name)s is not a CSV or XLSX file.") % {"name": upload.name},
            field=where,
            code="bad_type",
        )
    return "text/csv"


def table_from_form(uploaded: Any, where: str, *, most: int = MAX_TABLE_BYTES) -> Upload:
    """A table a page's form sent (Django's UploadedFile): its size judged before it is
    read, its type (check_table) after."""
    name = str(uploaded.name or "file")
    if (uploaded.size or 0) > most:
        raise Invalid(
            _("%(name)s is larger than %(most)s MB.")
            % {"name": name, "most": most // (1024 * 1024)},
            field=where,
            code="too_large",
        )
    upload = Upload(name, uploaded.read())
    check_table(upload, where, most=most)
    return upload


def from_base64(name: str, text: str, where: str) -> Upload:
    """A file sent as base64 in a JSON body: its size judged from the text's length and
    its type from its first bytes before the whole is decoded."""
    if len(text) // 4 * 3 - text[-2:].count("=") > MAX_ATTACHMENT_BYTES:
        raise _too_large(name, f"{where}.data")
    try:
        head = base64.b64decode(text[: HEAD_BYTES // 3 * 4], validate=True)
        if sniff(head) is None:
            raise _bad_type(name, f"{where}.data")
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(_("This is not base64."), field=f"{where}.data", code="bad_base64") from None
    return Upload(name, data)


def from_form(uploaded: Any, where: str) -> Upload:
    """A file of a form (Django's UploadedFile): its size and first chunk judged
    before the rest is read."""
    name = str(uploaded.name or "file")
    if (uploaded.size or 0) > MAX_ATTACHMENT_BYTES:
        raise _too_large(name, where)
    head = uploaded.read(HEAD_BYTES)
    if sniff(head) is None:
        raise _bad_type(name, where)
    return Upload(name, head + uploaded.read())


def safe_name(name: str) -> str:
    """A file name for Content-Disposition: ASCII letters, digits and ._- only."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._- ") else "_" for ch in name)


def file_response(data: bytes, media_type: str, name: str) -> HttpResponse:
    """A stored file, as a download the browser neither sniffs nor caches."""
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_name(name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def form_uploads(request: Any, field: str = "attachment") -> list[Upload]:
    """The files a page's form sent under `field`, named as the API names them
    (attachments[0], …) so an error points at the one that is wrong."""
    return [from_form(f, f"attachments[{n}]") for n, f in enumerate(request.FILES.getlist(field))]
