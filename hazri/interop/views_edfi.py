"""The Ed-Fi export page: a school's attendance events for a range of days, as a file."""

import datetime as dt
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hazri.accounts.access import actor_of
from hazri.common.errors import Invalid
from hazri.common.pages import page
from hazri.interop.edfi.export import MAX_DAYS, attendance_export, filename, school_for_export
from hazri.org import selectors as org


def _day(request: HttpRequest, name: str) -> dt.date:
    value = request.GET.get(name, "")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            _("%(value)s is not a date: use YYYY-MM-DD.") % {"value": value[:20] or "''"},
            field=name,
            code="bad_date",
        ) from None


@require_GET
@page
def edfi_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """The form; with `start` and `end`, the file itself."""
    actor = actor_of(request)
    school = school_for_export(actor, school_id)
    if "start" not in request.GET:
        today = org.school_today(school)
        context = {
            "school": school,
            "start": today.replace(day=1),
            "end": today,
            "max_days": MAX_DAYS,
        }
        return render(request, "interop/edfi.html", context)
    start, end = _day(request, "start"), _day(request, "end")
    school, bundle = attendance_export(actor, school.pk, start, end)
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(school, start, end)}"'
    return response
