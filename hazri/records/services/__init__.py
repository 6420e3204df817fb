"""The records app's writes: promotion at year end and transfer certificates."""

from hazri.records.services.promotion import year_end_promote
from hazri.records.services.transfers import tc_admit, tc_cancel, tc_find, tc_issue

__all__ = ["tc_admit", "tc_cancel", "tc_find", "tc_issue", "year_end_promote"]
