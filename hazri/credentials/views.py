"""The credentials pages: verifying a document (anyone, no login: paste the QR text,
upload the credential's JSON or a photo of the QR), a school's issued documents with
their revoke buttons, and one document for print (its QR code)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of
from hazri.common import files
from hazri.common.errors import Invalid, ServiceError
from hazri.common.pages import error_text, page, plain_int
from hazri.credentials import selectors, services, verify
from hazri.credentials.models import Credential
from hazri.credentials.offline import Verdict

PAGE = 100


def _document_file(uploaded: Any) -> str:
    """The text of an uploaded credential file (JSON)."""
    if (uploaded.size or 0) > verify.MAX_DOCUMENT_CHARS:
        raise Invalid(gettext("The document is too long."), field="document", code="too_long")
    try:
        return str(uploaded.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise Invalid(gettext("This is not JSON."), field="document", code="not_json") from None


def _verdict(request: HttpRequest) -> Verdict:
    text = request.POST.get("qr", "").strip()
    document = request.POST.get("document", "").strip()
    if not document and request.FILES.get("document_file") is not None:
        document = _document_file(request.FILES["document_file"]).strip()
    upload = request.FILES.get("image")
    given = [bool(text), bool(document), upload is not None]
    if sum(given) != 1:
        raise Invalid(
            gettext("Paste the QR text, or the document, or choose a photo: one of them."),
            field="qr",
            code="one_of",
        )
    verify.throttle(request)
    if text:
        return verify.verify_qr(text)
    if document:
        return verify.verify_document(document)
    assert upload is not None
    return verify.verify_image(files.from_form(upload, "image"))


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone checks a document here; the answer shows only what the document shows."""
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            verdict = _verdict(request)
            context["verdict"] = verdict
            if verdict.kind:
                context["kind_label"] = Credential.Kind(verdict.kind).label
        except ServiceError as error:
            message = (
                gettext("This is not the QR code or file of a signed document, or it is damaged.")
                if error.code == "not_a_document"
                else error_text(error)
            )
            context.update(error=error, error_text=message)
            status = error.status
    return render(request, "credentials/verify.html", context, status=status)


@page
@require_http_methods(["GET"])
def school_credentials(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_visible(request.user, school_id)
    page_no = plain_int(request.GET.get("page"), max_digits=6) or 1
    found = selectors.credentials_of_school(school.pk)
    return render(
        request,
        "credentials/school.html",
        {
            "school": school,
            "items": list(found[(page_no - 1) * PAGE : page_no * PAGE]),
            "may_issue": actor_of(request).may(Action.ISSUE, school) is not None,
        },
    )


@page
@require_http_methods(["GET"])
def credential_detail(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = selectors.credential_visible(request.user, credential_id)
    return render(
        request,
        "credentials/detail.html",
        {"credential": credential, "qr_svg": selectors.qr_svg(credential, scale=5)},
    )


@page
@require_POST
def credential_revoke(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = selectors.credential_visible(request.user, credential_id)
    services.credential_revoke(
        credential=credential, reason=request.POST.get("reason", ""), by=request.user
    )
    messages.success(request, gettext("The document was revoked."))
    return redirect("credentials_school", school_id=credential.school_id)
