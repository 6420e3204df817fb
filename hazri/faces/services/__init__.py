"""Writes of photo attendance: consent and references, daily photos, their processing,
the review that becomes a roll call, and the purge of what is kept no longer."""
