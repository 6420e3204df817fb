"""Verifying a document for anyone (no login): its QR text, its Verifiable Credential's
JSON, or a photo or scan of its QR. The offline checks (offline.py) with the keys on
record, and the status list's answer on top: a genuine document that was withdrawn is
"revoked". Anonymous checks are limited per address (HAZRI_VERIFY_PER_MINUTE)."""

import io
import json
import time

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from hazri.accounts.throttle import client_ip
from hazri.common import files
from hazri.common.errors import Invalid, TooManyRequests
from hazri.credentials import compact, offline, proofs
from hazri.credentials import keys as keytext
from hazri.credentials.models import Credential, SigningKey
from hazri.credentials.offline import Verdict

MAX_DOCUMENT_CHARS = 200_000
MAX_PIXELS = 25_000_000  # a 5 MB PNG may still unpack to gigabytes: judged from its header


def throttle(request: HttpRequest) -> None:
    """At most HAZRI_VERIFY_PER_MINUTE checks a minute from one address."""
    minute = int(time.time() // 60)
    key = f"credentials-verify:{client_ip(request)}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > settings.HAZRI_VERIFY_PER_MINUTE:
        raise TooManyRequests(
            _("Too many checks from your address: wait a minute."),
            retry_after=60 - int(time.time()) % 60,
            code="too_many",
        )


def keys_on_record() -> dict[str, offline.PublishedKey]:
    return {
        key.kid: offline.PublishedKey(
            kid=key.kid,
            public=keytext.public_from_b64(key.public_key),
            valid_from=key.valid_from,
            valid_until=key.valid_until,
            withdrawn=key.retired_at,
        )
        for key in SigningKey.objects.all()
    }


def _with_status(verdict: Verdict) -> Verdict:
    if verdict.status != offline.GENUINE or verdict.number is None:
        return verdict
    revoked = Credential.objects.filter(pk=verdict.number, revoked_at__isnull=False).exists()
    if not revoked:
        return verdict
    return Verdict(
        status=offline.REVOKED,
        kid=verdict.kid,
        kind=verdict.kind,
        number=verdict.number,
        issued_at=verdict.issued_at,
    )


def verify_qr(text: str, *, field: str = "qr") -> Verdict:
    try:
        return _with_status(offline.check_qr(text, keys_on_record()))
    except compact.CompactError as error:
        raise Invalid(str(error), field=field, code="not_a_document") from None


def verify_document(text: str) -> Verdict:
    """A Verifiable Credential as JSON text."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise Invalid(_("The document is too long."), field="document", code="too_long")
    try:
        document = json.loads(text)
        verdict = offline.check_document(
            document, keys_on_record(), issuer=settings.HAZRI_CREDENTIAL_ISSUER
        )
    except (json.JSONDecodeError, RecursionError):
        raise Invalid(_("This is not JSON."), field="document", code="not_json") from None
    except proofs.ProofError as error:
        raise Invalid(str(error), field="document", code="not_a_document") from None
    return _with_status(verdict)


def qr_in_image(upload: files.Upload, *, field: str = "image") -> str:
    """The text of the QR code in a photo or scan (JPEG or PNG)."""
    import cv2  # OpenCV loads slowly; only a photo needs it

    media = files.check_upload(upload, field)
    if media not in {"image/jpeg", "image/png"}:
        raise Invalid(_("Send a JPEG or PNG photo of the QR code."), field=field, code="bad_type")
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise Invalid(_("The image cannot be read."), field=field, code="bad_image") from None
    if width * height > MAX_PIXELS:
        raise Invalid(_("The image is too large."), field=field, code="too_large")
    pixels = cv2.imdecode(np.frombuffer(upload.data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if pixels is None:
        raise Invalid(_("The image cannot be read."), field=field, code="bad_image")
    # The ArUco-based detector finds codes the classic one misses at some scales (1 in
    # 10 of our printed codes at 3 or 5 pixels a module); the classic one is the fallback.
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        text, _points, _straight = detector.detectAndDecode(pixels)
        if text:
            return str(text)
    raise Invalid(_("No QR code was found in the image."), field=field, code="no_qr")


def verify_image(upload: files.Upload) -> Verdict:
    return verify_qr(qr_in_image(upload), field="image")
