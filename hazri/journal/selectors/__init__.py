"""Reads of the journal and the diary."""
