# A delta pull reads its schools' roll calls changed since its last pull: an index on
# (school, updated_at) makes that a range of the schools' own entries, where the index on
# updated_at alone walked every school's changes in the window.
#
# The roll-call tables are the largest and busiest: on PostgreSQL the new indexes are
# built CONCURRENTLY (writes go on while they build; hence atomic = False), before the
# old index is dropped (a moment's lock). Other databases build them as usual.

import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexOnline(AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL, AddIndex elsewhere."""

    def _kind(self, schema_editor):
        postgres = schema_editor.connection.vendor == "postgresql"
        return AddIndexConcurrently if postgres else migrations.AddIndex

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._kind(schema_editor).database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._kind(schema_editor).database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('accounts', '0002_initial'),
        ('attendance', '0004_rollcall_updated_at'),
        ('org', '0003_attendancepolicy_chronic_absence_pct_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexOnline(
            model_name='rollcall',
            index=models.Index(fields=['school', 'updated_at'], name='rollcall_changed'),
        ),
        AddIndexOnline(
            model_name='staffrollcall',
            index=models.Index(fields=['school', 'updated_at'], name='staffrollcall_changed'),
        ),
        migrations.AlterField(
            model_name='rollcall',
            name='updated_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='staffrollcall',
            name='updated_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now),
        ),
    ]
