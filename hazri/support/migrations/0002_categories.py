"""The categories a ticket starts with, and each level's hours (rows of data: a state
changes them in a data migration of its own)."""

from typing import Any

from django.db import migrations

# code, name, hours at the school, the office, the state, headquarters
CATEGORIES = [
    ("attendance_app", "Attendance app", 24, 48, 72, 120),
    ("login_access", "Login and access", 24, 24, 48, 72),
    ("data_correction", "Data correction", 72, 120, 168, 240),
    ("hardware", "Hardware (phone, tablet, connection)", 72, 168, 240, 336),
    ("other", "Other", 48, 72, 120, 168),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("support", "Category")
    for position, (code, name, school, office, state, hq) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "school_hours": school,
                "office_hours": office,
                "state_hours": state,
                "hq_hours": hq,
                "position": position,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("support", "Category").objects.filter(
        code__in=[row[0] for row in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
