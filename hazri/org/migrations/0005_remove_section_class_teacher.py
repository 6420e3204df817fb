# The class teacher is now a teaching assignment with no subject (people 0003).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0004_subject"),
        ("people", "0003_alter_posting_role_teachingassignment"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="section",
            name="class_teacher",
        ),
    ]
