"""The head records the day's mid-day meals from his school's page (the meals are kept
by the dashboards, whose school page handles the form)."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from hazri.dashboards.models import MealRecord
from hazri.org.selectors import school_today
from hazri.testing.world import World

from .test_pages import day_url, logged_in, morning  # noqa: F401 (a fixture)


def test_the_head_records_meals_from_the_school_page(morning: World) -> None:  # noqa: F811
    ravi = logged_in(morning.ravi)
    page = ravi.get(day_url(morning)).content.decode()
    assert "data-meals" in page and reverse("dashboard_school", args=[morning.school.pk]) in page
    today = school_today(morning.school)
    response = ravi.post(
        reverse("dashboard_school", args=[morning.school.pk]),
        {"day": today.isoformat(), "meals_served": "4", "next": day_url(morning)},
    )
    assert response.status_code == 302 and response["Location"] == day_url(morning)
    record = MealRecord.objects.get(school=morning.school, day=today)
    assert (record.meals_served, record.recorded_by) == (4, morning.ravi)
    assert "Mid-day meals saved: 4 served" in ravi.get(day_url(morning)).content.decode()


def test_a_next_elsewhere_goes_back_to_the_school_dashboard(morning: World) -> None:  # noqa: F811
    url = reverse("dashboard_school", args=[morning.school.pk])
    response = logged_in(morning.ravi).post(
        url,
        {
            "day": school_today(morning.school).isoformat(),
            "meals_served": "4",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == url


def test_teachers_and_other_days_get_no_meal_form(morning: World) -> None:  # noqa: F811
    assert "data-meals" not in logged_in(morning.asha).get(day_url(morning)).content.decode()
    ravi: Client = logged_in(morning.ravi)
    tomorrow = school_today(morning.school) + dt.timedelta(days=1)
    future = ravi.get(day_url(morning, tomorrow)).content.decode()
    assert "data-meals" not in future
