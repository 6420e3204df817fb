"""The start page: straight to the school for most staff, to the dashboard for
officers, the family's page for parents and students, a list for everyone else."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hazri.accounts import selectors as access
from hazri.common.pages import page
from hazri.org.models import School

SCHOOLS_PER_PAGE = 50


@page
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access.family_only(user):
        # A parent or a student: the staff's start page has nothing for them.
        return redirect("family")
    if user.officer_grants.exists():  # type: ignore[union-attr]
        # Officers start at their area's dashboard.
        return redirect("dashboard")
    posted = list(access.schools_posted_to(user).order_by("name", "pk"))
    if user.is_superuser and not posted:
        return redirect("dashboard")
    oversees = user.is_superuser
    schools: QuerySet[School] | list[School]
    if oversees:
        schools = access.schools_visible_to(user).order_by("name", "pk")
    else:
        schools = posted
        if len(schools) == 1:
            return redirect("school_day", school_id=schools[0].pk)
    listing = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "attendance/home.html", {"listing": listing, "oversees": oversees})
