"""Settings for `make run` on a developer's or a school's own machine."""

from config.env import env_list, env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("HAZRI_SECRET_KEY", "dev-only-not-secret-hazri-local")
ALLOWED_HOSTS = env_list("HAZRI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Notices to families go to the log unless an SMS gateway is set (docs/notices.md).
if not env_str("HAZRI_SMS_URL", ""):
    HAZRI_NOTIFY_DEFAULT_CHANNELS = ["console"]

# Report cards and transfer certificates are signed with a key of this machine's own,
# made by `make run` in var/ (never committed); a state sets its own (docs/credentials.md).
HAZRI_SIGNING_KEY_FILE = env_str("HAZRI_SIGNING_KEY_FILE", str(VAR_DIR / "signing-key.pem"))  # noqa: F405
