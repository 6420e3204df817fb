"""How a page, an export or the API names the person who did something.

A login ("ravi") is not a name: "ravi द्वारा दर्ज" is what the field trial saw. Every
place that says who marked, certified, recorded or changed something asks here.
"""

from typing import Any


def person_name(user: Any) -> str:
    """The person's full name (first and last, as the office entered them), else their
    username, so that nobody shows as blank; "" for no one."""
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full.strip() or user.get_username())
