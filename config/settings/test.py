"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Static files are served by runserver/live_server in tests; whitenoise wants a
# collected directory that the test run has no reason to build.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
HAZRI_OIDC_ISSUER = ""  # the state sign-on is off unless a test turns it on (hazri/signon)

# Tests log in once and travel days in time (time_machine): their sessions do not
# expire. The expiry tests (hazri/accounts/tests/test_sessions.py) set the real values.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
HAZRI_SESSION_IDLE_MINUTES = 60 * 24 * 365

# Verifications share the process's cache across tests: the throttle's own test sets a
# low limit. No signing key: tests install theirs (hazri.credentials.testing).
HAZRI_VERIFY_PER_MINUTE = 100_000
HAZRI_SIGNING_KEY_FILE = ""
HAZRI_SIGNING_KEY = ""
