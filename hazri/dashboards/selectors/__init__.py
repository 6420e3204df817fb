"""Dashboard figures, read from the rollups (never from raw marks).

Areas read unit rollups (a few rows per child unit and day); lists of schools read
one school-day per school, whose 29-day trail makes the 30-day window. They read what
the scheduled job built and build nothing (a GET never writes); the caller asks
`rollups.freshness` how far that goes. Given the reader's `clock` (due.Clock), today's
meetings not yet due are left out of the figures (see due.py); without one, every
day reads as built.
"""

from hazri.dashboards.selectors.areas import (
    Adoption,
    AreaReport,
    AreaRow,
    LowSchool,
    MealGap,
    SectionFigures,
    adoption,
    area_report,
    area_trend,
    low_attendance_count,
    low_attendance_schools,
    meal_gap_count,
    meal_gaps,
    school_sections,
    school_trend,
    unit_day,
)
from hazri.dashboards.selectors.compliance import (
    AreaCompliance,
    ComplianceRow,
    compliance,
    compliance_by_area,
)
from hazri.dashboards.selectors.figures import (
    FIGURE_FIELDS,
    LIST_LIMIT,
    Figures,
    pending_today,
    under,
)
from hazri.dashboards.selectors.learning import (
    Band,
    BandFigures,
    LearningReport,
    LearningRow,
    attendance_and_learning,
)
from hazri.dashboards.selectors.photos import PhotoReport, PhotoRow, photo_adoption

__all__ = [
    "FIGURE_FIELDS",
    "LIST_LIMIT",
    "Adoption",
    "AreaCompliance",
    "AreaReport",
    "AreaRow",
    "Band",
    "BandFigures",
    "ComplianceRow",
    "Figures",
    "LearningReport",
    "LearningRow",
    "LowSchool",
    "MealGap",
    "PhotoReport",
    "PhotoRow",
    "SectionFigures",
    "adoption",
    "area_report",
    "area_trend",
    "attendance_and_learning",
    "compliance",
    "compliance_by_area",
    "low_attendance_count",
    "low_attendance_schools",
    "meal_gap_count",
    "meal_gaps",
    "pending_today",
    "photo_adoption",
    "school_sections",
    "school_trend",
    "under",
    "unit_day",
]
