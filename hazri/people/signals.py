"""What people's services announce to the apps above them (people may not import them).

`roll_changed` is sent inside the service's transaction, after its writes, whenever
who is on a school's roll (students or staff) changed from some day on: the
dashboards rebuild those school-days in the same transaction, so a rollup never
disagrees with the roll it counts. Arguments: `school_ids` (every school whose roll
changed: both schools of a transfer) and `since` (the first day affected).
"""

from django.dispatch import Signal

roll_changed = Signal()
