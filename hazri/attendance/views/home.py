"""The start page: straight to the school for most staff, to the dashboard for
officers, a list for everyone else."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.common.pages import page

SCHOOLS_PER_PAGE = 50


@page
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.officer_grants.exists() or (  # type: ignore[union-attr]
        user.is_superuser and not access.schools_posted_to(user, timezone.localdate()).exists()
    ):
        # Officers start at their area's dashboard.
        return redirect("dashboard")
    oversees = user.is_superuser or user.officer_grants.exists()  # type: ignore[union-attr]
    if oversees:
        schools = access.schools_visible_to(user).order_by("name", "pk")
    else:
        schools = access.schools_posted_to(user, timezone.localdate()).order_by("name", "pk")
        if len(schools) == 1:
            return redirect("school_day", school_id=schools[0].pk)
    listing = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "attendance/home.html", {"listing": listing, "oversees": oversees})
