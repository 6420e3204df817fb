"""The PostgreSQL settings a benchmark's figures were measured under."""

from django.db import connection

# The settings that decide what a commit costs: with fsync or synchronous_commit off a
# commit does not wait for the disk, and a figure measured so does not size production.
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers")


def postgres_settings() -> dict[str, str]:
    """The server's durability settings, as the figures were measured under them."""
    with connection.cursor() as cursor:
        found = {}
        for name in DURABILITY:
            cursor.execute(f"SHOW {name}")
            found[name] = cursor.fetchone()[0]
    durable = found["fsync"] == "on" and found["synchronous_commit"] != "off"
    return {**found, "durable": "yes" if durable else "no (the tests' throwaway server)"}
