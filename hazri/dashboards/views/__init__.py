"""The officers' dashboard pages (SPEC §1.6, §1.7, §1.9, §2.4): server-rendered, with
htmx and Chart.js as enhancements; every page works without JavaScript."""

from hazri.dashboards.views.areas import compliance, dashboard
from hazri.dashboards.views.learning import learning
from hazri.dashboards.views.lists import adoption, low, meals
from hazri.dashboards.views.photos import photos
from hazri.dashboards.views.reporting import reporting_page
from hazri.dashboards.views.schools import school, section, student

__all__ = [
    "adoption",
    "compliance",
    "dashboard",
    "learning",
    "low",
    "meals",
    "photos",
    "reporting_page",
    "school",
    "section",
    "student",
]
