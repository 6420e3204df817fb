"""Writes to the journal and the diary."""
