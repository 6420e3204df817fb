"""Pages: a school's invitations (issue, print the slips, revoke), redeeming a code,
signing in with the state's sign-on, and logging out of both."""

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hazri.accounts.selectors import family_only
from hazri.common.errors import ServiceError
from hazri.common.pages import error_page, error_text, page, plain_int, use_language_of
from hazri.org.models import Section
from hazri.signon import selectors
from hazri.signon import services as svc
from hazri.signon.codes import code_normal
from hazri.signon.guard import guarded
from hazri.signon.oidc import flow
from hazri.signon.services.invitations import invitation_for_code, passwords_for_guardians

logger = logging.getLogger(__name__)
PENDING_CODE = "hazri_invitation_code"  # kept in the session across the sign-on
ID_TOKEN = "hazri_oidc_id_token"  # for the provider's logout
# The session names the backend that loads its user back: the one the accounts app
# installs (it loads any active user; the password checks apply to passwords only).
BACKEND = "hazri.accounts.backends.PasswordBackend"

# The services' refusals, in the user's language.
MESSAGES = {
    "unknown_code": gettext_lazy("No invitation has this code. Check it on your slip."),
    "revoked_code": gettext_lazy("This invitation was withdrawn: ask the school for a new one."),
    "used_code": gettext_lazy("This invitation was used already: log in instead."),
    "expired_code": gettext_lazy("This invitation has expired: ask the school for a new one."),
    "taken": gettext_lazy("This username is taken: choose another."),
    "username": gettext_lazy("A username is letters, digits and @ . + - _ only."),
    "bound": gettext_lazy("This record already has an account: ask the school."),
    "sso": gettext_lazy("Parents sign in with the state's sign-on: use its button."),
}


def _said(error: ServiceError) -> str:
    return str(MESSAGES[error.code]) if error.code in MESSAGES else error_text(error)


def sso_on() -> bool:
    return bool(settings.HAZRI_OIDC_ISSUER)


def _landing(user: Any) -> str:
    return resolve_url("family") if family_only(user) else resolve_url("home")


# --- The school's invitations ------------------------------------------------------------


@page
@require_GET
def invitations_page(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.school_for_invitations(request.user, school_id)
    section_id = plain_int(request.GET.get("section"))
    sections = Section.objects.filter(school=school).order_by("grade", "name")
    rows = selectors.invitations_of_school(school, section_id=section_id)
    return render(
        request,
        "signon/invitations.html",
        {"school": school, "sections": sections, "rows": rows, "section_id": section_id},
    )


@page
@require_POST
def invitations_issue(request: HttpRequest, section_id: int) -> HttpResponse:
    """Issues the section's invitations and answers the print page of slips: the only
    time the codes are shown."""
    section = selectors.section_for_invitations(request.user, section_id)
    kind = request.POST.get("kind", "guardian")
    issued = svc.invitations_issue_for_section(by=request.user, section=section, kind=kind)
    return _slips(request, issued, school=section.school, section=section)


@page
@require_POST
def invitations_issue_staff(request: HttpRequest, school_id: int) -> HttpResponse:
    """The print page of slips for the school's staff who have no account yet."""
    school = selectors.school_for_invitations(request.user, school_id)
    issued = svc.invitations_issue_for_staff(by=request.user, school=school)
    return _slips(request, issued, school=school, section=None)


def _slips(
    request: HttpRequest, issued: list[Any], *, school: Any, section: Section | None
) -> HttpResponse:
    children = selectors.children_in_section(
        [i.invitation.guardian_id for i in issued if i.invitation.guardian_id],
        section.pk if section else None,
    )
    slips = []
    for one in issued:
        invitation = one.invitation
        target = invitation.guardian or invitation.staff or invitation.student
        slips.append(
            {
                "name": target.name if target else "",
                "kind": invitation.kind,
                "children": children.get(invitation.guardian_id or 0, []),
                "code": one.code,
                "link": request.build_absolute_uri(reverse("invite", args=[one.code])),
                "expires_at": invitation.expires_at,
            }
        )
    return render(
        request,
        "signon/slips.html",
        {
            "school": school,
            "section": section,
            "slips": slips,
            "sso_name": settings.HAZRI_OIDC_NAME if sso_on() else "",
        },
    )


@page
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_for_admin(request.user, invitation_id)
    svc.invitation_revoke(by=request.user, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn: its code no longer works."))
    return HttpResponseRedirect(reverse("invitations", args=[invitation.school_id]))


# --- Redeeming a code --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invite_enter(request: HttpRequest) -> HttpResponse:
    """Typing the code from a slip (anonymous): on to the slip's own page."""
    use_language_of(request)
    typed = request.POST.get("code", "")[:40] if request.method == "POST" else ""
    if typed:
        raw = code_normal(typed)
        if raw is not None:
            return HttpResponseRedirect(reverse("invite", args=[f"{raw[:5]}-{raw[5:]}"]))
    error = str(MESSAGES["unknown_code"]) if request.method == "POST" else ""
    return render(
        request,
        "signon/invite_enter.html",
        {"error": error, "code": typed},
        status=422 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """The link on a slip (anonymous): staff and students choose a username and a
    password; a guardian signs in with the state's sign-on when it is on."""
    use_language_of(request)
    try:
        invitation = guarded(request, lambda: invitation_for_code(code))
    except ServiceError as error:
        error.message = _said(error)
        return error_page(request, error)
    target = invitation.guardian or invitation.staff or invitation.student
    # A guardian signs in with the state's sign-on when it is on, and chooses a password
    # only where the state still allows parents passwords (HAZRI_PASSWORDS_FOR_GUARDIANS).
    guardian = invitation.kind == "guardian"
    with_sso = guardian and sso_on()
    with_password = not guardian or passwords_for_guardians()
    context: dict[str, Any] = {
        "invitation": invitation,
        "name": target.name if target else "",
        "code": code,
        "with_sso": with_sso,
        "with_password": with_password,
        "sso_name": settings.HAZRI_OIDC_NAME,
        "error": "",
        "field": "",
    }
    if request.method == "POST":
        if request.POST.get("sso") or not with_password:
            if not with_sso:
                raise Http404
            request.session[PENDING_CODE] = code
            return HttpResponseRedirect(reverse("sso_start"))
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")[:200]
        if password != request.POST.get("password2", ""):
            context.update(error=_("The two passwords are not the same."), field="password")
        else:
            try:
                redeemed = guarded(
                    request,
                    lambda: svc.invitation_redeem_with_password(
                        code=code, username=username, password=password
                    ),
                )
            except ServiceError as error:
                context.update(error=_said(error), field=error.field, username=username)
            else:
                user = redeemed.used_by
                login(request, user, backend=BACKEND)
                request.session["signin_method"] = "invitation"
                return HttpResponseRedirect(_landing(user))
        return render(request, "signon/invite.html", context, status=422)
    return render(request, "signon/invite.html", context)


# --- The state's sign-on -----------------------------------------------------------------


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("sso_callback"))


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    if not sso_on():
        raise Http404
    use_language_of(request)
    try:
        target = flow.begin(request.session, redirect_uri=_callback_uri(request))
    except flow.SignOnError as error:
        return _sign_on_failed(request, error.code, str(error))
    return HttpResponseRedirect(target)


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not sso_on():
        raise Http404
    use_language_of(request)
    params = {k: request.GET.get(k, "")[:2000] for k in ("code", "state", "error")}
    params = {k: v for k, v in params.items() if v or k != "error"}
    try:
        signed_in = flow.finish(request.session, params, redirect_uri=_callback_uri(request))
    except flow.SignOnError as error:
        logger.warning("sign-on refused: %s (%s)", error, error.code)
        return _sign_on_failed(request, error.code, str(error))
    pending = request.session.pop(PENDING_CODE, "")
    try:
        user = svc.sso_identity_resolve(
            issuer=signed_in.issuer,
            subject=signed_in.subject,
            claims=signed_in.claims,
            pending_code=pending,
        )
    except ServiceError as error:
        return _sign_on_failed(request, error.code, _said(error), status=error.status)
    login(request, user, backend=BACKEND)
    request.session["signin_method"] = "sso"
    request.session[ID_TOKEN] = signed_in.id_token
    return HttpResponseRedirect(_landing(user))


def _sign_on_failed(
    request: HttpRequest, code: str, detail: str, status: int = 400
) -> HttpResponse:
    if code == "no_binding":
        message = _(
            "Your sign-on account is not linked to a family at any school yet. Use the "
            "invitation slip your school gave you: open its link or type its code."
        )
    elif code in MESSAGES:
        message = str(MESSAGES[code])
    else:
        message = _("Signing in with the state's sign-on did not work. Please try again.")
    return render(
        request,
        "signon/failed.html",
        {"message": message, "code": code, "sso_name": settings.HAZRI_OIDC_NAME},
        status=status,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Ends Hazri's session, and the provider's too when the session came from it and
    the provider has an end_session_endpoint (RP-initiated logout)."""
    from_sso = request.session.get("signin_method") == "sso"
    id_token = request.session.get(ID_TOKEN, "")
    auth_logout(request)
    login_url = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if from_sso and id_token and sso_on():
        target = flow.end_session_url(
            id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(login_url)
        )
        if target:
            return HttpResponseRedirect(target)
    return HttpResponseRedirect(login_url)
