"""Logging in and out of the pages, and choosing the page language."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hazri.accounts.backends import refusal_of
from hazri.accounts.selectors import family_only, recent_signins
from hazri.accounts.services import user_set_language
from hazri.common.pages import page

# The language a visitor chose on the login page, kept in their (anonymous) session so
# that logging in makes it their preference. The cookie alone cannot say that: on a
# shared phone it may be what the last user's preference set.
CHOSEN_LANGUAGE = "hazri_chosen_language"


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginForm(AuthenticationForm):
    """Django's form, saying why a right password was refused too: a lock after too many
    failed logins, or a role that signs in with single sign-on (accounts/backends.py)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                refusal = refusal_of(self.request)
                if refusal is not None:
                    self.refusal = refusal
                    raise ValidationError(refusal.message, code=refusal.code)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class HazriLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        refusal = getattr(form, "refusal", None)
        context = self.get_context_data(form=form, refusal=refusal and refusal.message)
        # 429 for a lock (as the API answers), 403 for a policy, 200 for a wrong password.
        status = refusal.status if refusal is not None else 200
        return self.render_to_response(context, status=status)

    def get_success_url(self) -> str:
        """A parent or a student (no posting, no area) lands on their family's page,
        also when sent to log in from the start page: it has nothing for them."""
        url = super().get_success_url()
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated or url != resolve_url("home"):
            return url
        return resolve_url("family") if family_only(user) else url

    def form_valid(self, form: Any) -> HttpResponse:
        # Read before logging in, which moves the session's data to a new key.
        chosen = self.request.session.get(CHOSEN_LANGUAGE, "")
        response = super().form_valid(form)
        self.request.session.pop(CHOSEN_LANGUAGE, None)
        user = form.get_user()
        if chosen in dict(settings.LANGUAGES) and chosen != user.language:
            # A choice made just before logging in is a choice: it becomes the preference.
            user_set_language(user=user, language=chosen)
        # From now on the pages speak the language the user chose last.
        language = getattr(user, "language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            set_language_cookie(response, language)
        return response


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The English / हिन्दी switch: remembered on the user and in a cookie."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = resolve_url("home")
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
        else:
            request.session[CHOSEN_LANGUAGE] = language
        set_language_cookie(response, language)
    return response


@page
def my_signins(request: HttpRequest) -> HttpResponse:
    """The user's own recent sign-ins, sign-outs and refused tries at their account."""
    return render(request, "accounts/signins.html", {"events": recent_signins(request.user)})
