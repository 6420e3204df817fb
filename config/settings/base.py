"""Settings shared by every environment. Environment values go through config.env."""

import datetime as dt
from pathlib import Path

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("HAZRI_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # ninja's own templates and static files: /api/v1/docs serves Swagger UI from our
    # static files instead of a CDN a state data centre cannot reach.
    "ninja",
    "hazri.common",
    "hazri.accounts",
    "hazri.org",
    "hazri.people",
    "hazri.attendance",
    "hazri.audit",
    "hazri.sync",
    "hazri.registers",
    "hazri.faces",
    "hazri.journal",
    "hazri.signon",
    "hazri.messaging",
    "hazri.notify",
    "hazri.admissions",
    "hazri.records",
    "hazri.reportcards",
    "hazri.credentials",
    "hazri.support",
    "hazri.rosters",
    "hazri.interop",
    "hazri.dashboards",
    "hazri.demo",
]

MIDDLEWARE = [
    "hazri.common.health.HealthCheckMiddleware",  # first: see its module
    "django.middleware.security.SecurityMiddleware",
    # Above the others, so that it compresses their final answer; /api/ only.
    "hazri.common.compression.ApiCompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the two above: logs out a session idle or too old, with a message.
    "hazri.accounts.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
HAZRI_API = "config.api.api"  # the NinjaAPI, for the OpenAPI snapshot (hazri.common.openapi)
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hazri" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hazri.registers.context.approvals",
                "hazri.messaging.context.unread",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if url:
        return database_from_url(url)
    # The embedded default: SQLite in WAL mode, writers take the lock at BEGIN so
    # concurrent submits queue instead of failing with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("HAZRI_SQLITE_PATH", str(VAR_DIR / "hazri.sqlite3")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords are checked by Django's ModelBackend, with the failed-login throttle and the
# sign-on policy below around it (hazri/accounts/backends.py, docs/deployment.md).
AUTHENTICATION_BACKENDS = ["hazri.accounts.backends.PasswordBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Each language in its own name: the pickers show them so (docs/languages.md).
LANGUAGES = [("en", "English"), ("hi", "हिन्दी"), ("fa", "فارسی"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "hazri" / "locale"]
# Stored instants are UTC; each school judges its day in its own time zone.
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Files served at the site's root (favicon.ico), by WhiteNoise as the static files are.
WHITENOISE_ROOT = BASE_DIR / "hazri" / "common" / "root"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The largest request body read, in bytes; a larger one is a JSON 413 on the API. The
# largest batch the API takes (docs/sync.md: 200 roll calls and 50 staff roll calls of
# 400 marks each, in the objects form, every id at 2**63 - 1 and every note 500 emoji
# written as escapes, as Python's json.dumps writes it) is 6.2 MB: the test
# hazri/common/tests/test_api_guards.py builds it and holds it under this limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Photo attendance (hazri/faces): where the daily photos are kept (never under a
# served folder: images are answered only through views that check the section), and
# for how long.
HAZRI_FACES_DIR = Path(env_str("HAZRI_FACES_DIR", str(VAR_DIR / "faces")))
HAZRI_FACES_RETENTION_DAYS = 30

# How long a device token lives without use before it must log in again.
HAZRI_DEVICE_TOKEN_IDLE_DAYS = 90

# Whether devices are told to send their pushes gzip-compressed (`accepts_gzip_bodies`
# in the pull). The API reads `Content-Encoding: gzip` bodies (hazri/common/jsonio.py,
# the 8 MiB limit on the unpacked body); a state whose proxy mangles compressed request
# bodies may turn this off without touching the app (docs/sync.md).
HAZRI_ACCEPTS_GZIP_BODIES = env_bool("HAZRI_ACCEPTS_GZIP_BODIES", True)

# Personal invitations (hazri/signon): how long a code printed on a slip stays good.
HAZRI_INVITATION_DAYS = 30

# The state's single sign-on (docs/signon.md): an OpenID Connect provider. An empty
# issuer turns sign-on off. The client authenticates at the token endpoint by
# client_secret_basic, client_secret_post, private_key_jwt (the key in PEM or JWK
# form from HAZRI_OIDC_PRIVATE_KEY_FILE), or a dotted path to a ClientAuth class of
# ours (hazri.signon.oidc.client_auth: the plug-in point for a provider such as ESIA).
HAZRI_OIDC_ISSUER = env_str("HAZRI_OIDC_ISSUER", "").rstrip("/")
HAZRI_OIDC_CLIENT_ID = env_str("HAZRI_OIDC_CLIENT_ID", "")
HAZRI_OIDC_CLIENT_SECRET = env_str("HAZRI_OIDC_CLIENT_SECRET", "")
HAZRI_OIDC_CLIENT_AUTH = env_str("HAZRI_OIDC_CLIENT_AUTH", "client_secret_basic")
HAZRI_OIDC_PRIVATE_KEY_FILE = env_str("HAZRI_OIDC_PRIVATE_KEY_FILE", "")
HAZRI_OIDC_SCOPES = env_str("HAZRI_OIDC_SCOPES", "openid profile phone")
HAZRI_OIDC_NAME = env_str("HAZRI_OIDC_NAME", "the state's sign-on")
# The verified claims that may bind a first sign-in to one guardian's record:
# phone_number (with phone_number_verified: true) to Guardian.phone, and email (with
# email_verified: true) to Guardian.email. Empty: only an invitation binds.
HAZRI_OIDC_MATCH_CLAIMS = env_list("HAZRI_OIDC_MATCH_CLAIMS", ["phone_number"])
# Whether staff may sign in through the state's sign-on too (parents always may).
HAZRI_OIDC_STAFF = env_bool("HAZRI_OIDC_STAFF", False)

# Signing in (docs/deployment.md, "Signing in"). A page's session ends 12 hours after
# it logged in whatever its use (absolute), or after 30 minutes without a request (idle);
# devices' tokens keep their own idle expiry above. Django's session cookie lives as long.
HAZRI_SESSION_HOURS = env_int("HAZRI_SESSION_HOURS", 12)
SESSION_COOKIE_AGE = HAZRI_SESSION_HOURS * 60 * 60
HAZRI_SESSION_IDLE_MINUTES = env_int("HAZRI_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Failed password logins (pages, devices, the admin): HAZRI_LOGIN_FAILURES wrong
# passwords for one username within HAZRI_LOGIN_WINDOW_MINUTES lock that username for
# HAZRI_LOGIN_LOCK_MINUTES (whether or not it exists); HAZRI_LOGIN_IP_FAILURES from one
# address, across usernames, lock the address for HAZRI_LOGIN_IP_LOCK_MINUTES.
HAZRI_LOGIN_FAILURES = env_int("HAZRI_LOGIN_FAILURES", 5)
HAZRI_LOGIN_WINDOW_MINUTES = env_int("HAZRI_LOGIN_WINDOW_MINUTES", 15)
HAZRI_LOGIN_LOCK_MINUTES = env_int("HAZRI_LOGIN_LOCK_MINUTES", 15)
HAZRI_LOGIN_IP_FAILURES = env_int("HAZRI_LOGIN_IP_FAILURES", 50)
HAZRI_LOGIN_IP_LOCK_MINUTES = env_int("HAZRI_LOGIN_IP_LOCK_MINUTES", 60)
# The request header the TLS proxy puts the client's address in (its last entry is
# taken: X-Forwarded-For as nginx's $proxy_add_x_forwarded_for writes it, or
# X-Real-IP); empty: the connection's own address (REMOTE_ADDR).
HAZRI_CLIENT_IP_HEADER = env_str("HAZRI_CLIENT_IP_HEADER", "")

# Whether parents (guardians who are neither staff nor students) and staff may still log
# in with a password. Parents stop once the state's sign-on is on (SPEC: "school-issued
# passwords no longer work for parents"); students always keep their school passwords.
HAZRI_PASSWORDS_FOR_GUARDIANS = env_bool("HAZRI_PASSWORDS_FOR_GUARDIANS", not HAZRI_OIDC_ISSUER)
HAZRI_PASSWORDS_FOR_STAFF = env_bool("HAZRI_PASSWORDS_FOR_STAFF", True)
# Notices to families (hazri/notify, docs/notices.md). The channels, by dotted path; a
# guardian who never chose gets HAZRI_NOTIFY_DEFAULT_CHANNELS in the default language.
HAZRI_NOTIFY_CHANNELS = [
    "hazri.notify.channels.ConsoleChannel",
    "hazri.notify.channels.EmailChannel",
    "hazri.notify.channels.SmsChannel",
    "hazri.notify.channels.PushChannel",
]
HAZRI_NOTIFY_DEFAULT_CHANNELS = ["sms"]
HAZRI_NOTIFY_DEFAULT_LANGUAGE = env_str("HAZRI_NOTIFY_LANGUAGE", "hi")
# A failed notice is tried again after RETRY × 2^(tries-1) seconds, at most MAX times.
HAZRI_NOTIFY_MAX_ATTEMPTS = 5
HAZRI_NOTIFY_RETRY_SECONDS = 120
# The monthly and weekly notices go out after this local time; the monthly one on the
# first days of the month up to this day.
HAZRI_NOTIFY_MORNING = dt.time(8, 0)
HAZRI_NOTIFY_LOW_ATTENDANCE_DAYS = 3
# The SMS operator's HTTP gateway (DLT: a registered 6-letter sender header).
HAZRI_SMS_GATEWAY = {
    "URL": env_str("HAZRI_SMS_URL", ""),
    "API_KEY": env_str("HAZRI_SMS_API_KEY", ""),
    "SENDER": env_str("HAZRI_SMS_SENDER", "HAZRIN"),
    "TIMEOUT": 5,
}
# Web Push: the VAPID key pair (`vapid --gen`, raw base64url) and the contact.
HAZRI_VAPID = {
    "PUBLIC_KEY": env_str("HAZRI_VAPID_PUBLIC_KEY", ""),
    "PRIVATE_KEY": env_str("HAZRI_VAPID_PRIVATE_KEY", ""),
    "SUBJECT": env_str("HAZRI_VAPID_SUBJECT", "mailto:admin@hazri.invalid"),
}
HAZRI_PUSH_ALLOW_HTTP = False  # tests use a push service on 127.0.0.1
# Threads that send one batch of notices at once (the channels wait on the network).
HAZRI_NOTIFY_SEND_THREADS = 8

# Signed documents (hazri.credentials): the state's Ed25519 private key, from a file or
# the environment (PEM or the raw 32 bytes in base64), never committed; the issuer's id
# (a DID or an https URL) and name written into every document; the public address the
# status lists are fetched from; anonymous verifications allowed per address per minute.
HAZRI_SIGNING_KEY_FILE = env_str("HAZRI_SIGNING_KEY_FILE", "")
HAZRI_SIGNING_KEY = env_str("HAZRI_SIGNING_KEY", "")
HAZRI_CREDENTIAL_ISSUER = env_str("HAZRI_CREDENTIAL_ISSUER", "did:web:hazri.example.gov.in")
HAZRI_CREDENTIAL_ISSUER_NAME = env_str(
    "HAZRI_CREDENTIAL_ISSUER_NAME", "School Education Department"
)
HAZRI_PUBLIC_URL = env_str("HAZRI_PUBLIC_URL", "https://hazri.example.gov.in").rstrip("/")
HAZRI_VERIFY_PER_MINUTE = env_int("HAZRI_VERIFY_PER_MINUTE", 30)
