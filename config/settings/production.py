"""Production settings: every secret comes from the environment, and its absence stops start-up."""

from config.env import env_bool, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("HAZRI_SECRET_KEY")
ALLOWED_HOSTS = env_list("HAZRI_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("HAZRI_CSRF_TRUSTED_ORIGINS", [])
SECURE_SSL_REDIRECT = env_bool("HAZRI_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
