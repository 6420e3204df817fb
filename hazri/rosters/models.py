"""Bulk roster imports from the state enrolment register and the HR system (CSV, XLSX)."""
