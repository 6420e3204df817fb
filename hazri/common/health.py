"""The health check a load balancer or an orchestrator polls: `GET /healthz`.

It is answered by the first middleware, before the others can refuse or redirect it: a
balancer asks each server by its own address (a Host not in ALLOWED_HOSTS would be a
400) over plain HTTP behind the TLS it ends (SECURE_SSL_REDIRECT would answer 301),
and it needs no session, language or CSRF cookie. 200 when this worker can run a
query on its database and the database has every migration this code needs; 503
otherwise, so the balancer sends no requests that could only fail to a worker whose
database is down, or to new code started before `hazri migrate` ran. No login, and
nothing in the answer that a stranger could use.
"""

import pkgutil
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse, JsonResponse

PATH = "/healthz"
_migrated = False  # once seen, for the life of the process


def migrations_on_disk() -> set[tuple[str, str]]:
    """(app label, name) of every migration this code has, found as Django's loader
    finds them but without importing them: building the loader's graph keeps ~2 MB in
    every worker for good, and a worker's memory is counted (bench/README)."""
    found = set()
    for app in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app.label)
        if module_name is None:
            continue
        try:
            package = import_module(module_name)
        except ModuleNotFoundError:
            continue
        found |= {
            (app.label, name)
            for _, name, is_package in pkgutil.iter_modules(getattr(package, "__path__", []))
            if not is_package and name[0] not in "_~"
        }
    return found


def database_state() -> str:
    """The database as this worker sees it: ok, unreachable (no query runs), or pending
    (migrations this code has are not applied; checked until they are)."""
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if not _migrated:
            # No django_migrations table yet is none applied.
            applied = MigrationRecorder(connection).applied_migrations()
            _migrated = migrations_on_disk() <= set(applied)
    except DatabaseError:
        return "unreachable"
    return "ok" if _migrated else "pending"


def health(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        answer: HttpResponse = JsonResponse(
            {"detail": f"{request.method} is not allowed here; use GET or HEAD."}, status=405
        )
        answer["Allow"] = "GET, HEAD"
    else:
        state = database_state()
        if state == "unreachable":
            answer = JsonResponse({"status": "unavailable", "database": state}, status=503)
        else:
            answer = JsonResponse(
                {
                    "status": "ok" if state == "ok" else "unavailable",
                    "database": "ok",
                    "migrations": state,
                },
                status=200 if state == "ok" else 503,
            )
    if request.method == "HEAD":
        answer.content = b""
    answer["Cache-Control"] = "no-store"
    return answer


class HealthCheckMiddleware:
    """Answers PATH itself; every other request goes on down the chain untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return health(request)
        return self.get_response(request)
