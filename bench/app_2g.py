"""The teacher app on a rural 2G link: the served demo district in Debian's Chromium,
throttled with CDP network emulation, timed and its traffic counted.

Loads the demo district (`hazri demo`) into a throwaway SQLite database under a
temporary folder, serves it as `make run` does (runserver, the local settings), and
as the head of a school measures: the first load of /app/ to the login screen, login
to a usable today screen, a later start from the service worker, an offline restart,
and the API traffic of a day of marking (a pull, then every section in every meeting
marked and pushed one roll call at a time, with the pulls the app makes after them).
It measures what the server sends, so it runs unchanged whatever the server compresses.
"""

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROFILES = {
    # The rural 2G link: 250 kbit/s down, 125 up, 300 ms round trip.
    "2g": {"latency": 300, "down_kbit": 250, "up_kbit": 125},
    "none": None,
}
TARGETS = {"usable_today_s": 10.0, "later_start_s": 1.0}
USABLE = (
    "Number(document.body.dataset.pulls) >= 1 && "
    "!!document.querySelector('body[data-route=today] [data-section] a.mark-button')"
)
STARTED = "!!document.querySelector('body[data-route=today] [data-section] a.mark-button')"
CONTROLLED = "navigator.serviceWorker.controller !== null"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_demo(folder: Path, schools: int, students: int, weeks: int) -> dict[str, Any]:
    """Migrate and load the demo into folder/hazri.sqlite3; make today a school day
    that began a few minutes ago at every school (marks on time whenever the benchmark
    runs); give the largest school's head the demo password. Returns the logins."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, F, Q
    from django.utils import timezone

    from hazri.accounts.models import User
    from hazri.attendance.models import RollCall, StaffRollCall
    from hazri.demo.generate import PASSWORD
    from hazri.org.models import AttendancePolicy, School
    from hazri.people.models import Admission, Enrolment, Posting, Student

    call_command("migrate", interactive=False, verbosity=0)
    argv = ["--schools", str(schools), "--students", str(students), "--weeks", str(weeks)]
    call_command("demo", *argv, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Whenever it runs, today is a school day whose roll can still be taken: no weekly
    # off, and the cutoff at the day's end (at 18:15 a 17:00 cutoff had closed the day,
    # and the app rightly sent nothing).
    AttendancePolicy.objects.update(weekly_offs=[], cutoff=dt.time(23, 59))
    # A district's rows were written long before a phone logs in; these were written
    # seconds ago. A delta pull reaches back a minute before its token's watermark
    # (hazri.sync.selectors.OVERLAP), so without this every pull in the first minute
    # after the load would carry the whole roll again (and say something changed).
    earlier = F("updated_at") - dt.timedelta(hours=1)
    for model in (Student, Enrolment, Admission, RollCall, StaffRollCall):
        model.objects.update(updated_at=earlier)
    for school in School.objects.all():
        now = timezone.now().astimezone(ZoneInfo(school.timezone))
        began = max(now - dt.timedelta(minutes=5), now.replace(hour=0, minute=0))
        school.start_time = began.time().replace(second=0, microsecond=0)
        school.save(update_fields=["start_time"])
    on_roll = Count(
        "sections__enrolments",
        filter=Q(sections__enrolments__ends_on__isnull=True),
        distinct=True,
    )
    sized = School.objects.annotate(on_roll=on_roll, sections_n=Count("sections", distinct=True))
    ravi = User.objects.get(username="ravi")
    ravis = sized.get(pk=Posting.objects.filter(staff__user=ravi).values("school")[:1])
    largest = sized.order_by("-on_roll", "pk").first()
    assert largest is not None
    head = User.objects.filter(
        staff__postings__school=largest, staff__postings__role="head"
    ).first()
    assert head is not None, "the largest school has no head with a login"
    if not head.has_usable_password():
        head.password = make_password(PASSWORD)
        head.save(update_fields=["password"])
    connection.close()

    def about(school: Any, username: str) -> dict[str, Any]:
        return {
            "username": username,
            "school": school.name,
            "students": school.on_roll,
            "sections": school.sections_n,
        }

    return {
        "password": PASSWORD,
        "ravi": about(ravis, "ravi"),
        "largest": about(largest, head.username),
    }


@contextmanager
def served(folder: Path, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115
    args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/app/", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "server.log").read_text(errors="replace")[-2000:]
                    raise SystemExit(f"the server did not start:\n{tail}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(10)
        log.close()


class Traffic:
    """Every request of the page, from CDP's Network events (the API is never handled
    by the service worker, so the page's target sees it all)."""

    def __init__(self) -> None:
        self.requests: dict[str, dict[str, Any]] = {}

    def attach(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict[str, Any]) -> None:
        request = event["request"]
        headers = {k.lower(): v for k, v in request.get("headers", {}).items()}
        body = sum(len(e.get("bytes", "")) * 3 // 4 for e in request.get("postDataEntries", []))
        self.requests[event["requestId"]] = {
            "url": request["url"],
            "method": request["method"],
            "up_body": int(headers.get("content-length", body)),
            "up_encoding": headers.get("content-encoding", ""),
            "down_wire": 0,
            "down_body": 0,
            "encoding": "",
            "status": None,
            "from_sw": False,
        }

    def _received(self, event: dict[str, Any]) -> None:
        entry = self.requests.get(event["requestId"])
        if entry is None:
            return
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        entry["status"] = response["status"]
        entry["encoding"] = headers.get("content-encoding", "")
        entry["from_sw"] = bool(response.get("fromServiceWorker"))

    def _data(self, event: dict[str, Any]) -> None:
        entry = self.requests.get(event["requestId"])
        if entry is not None:
            entry["down_body"] += event["dataLength"]

    def _finished(self, event: dict[str, Any]) -> None:
        entry = self.requests.get(event["requestId"])
        if entry is not None:
            entry["down_wire"] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.requests.clear()

    def summary(self, api_only: bool = False) -> dict[str, Any]:
        rows = [r for r in self.requests.values() if r["status"] is not None]
        if api_only:
            rows = [r for r in rows if "/api/" in r["url"]]
        network = [r for r in rows if not r["from_sw"]]
        kinds: dict[str, dict[str, int]] = {}
        for r in network:
            path = r["url"].split("?")[0].split("/api/v1/")[-1] if "/api/" in r["url"] else "shell"
            kind = kinds.setdefault(f"{r['method']} {path}", {"n": 0, "down_wire": 0, "up": 0})
            kind["n"] += 1
            kind["down_wire"] += r["down_wire"]
            kind["up"] += r["up_body"]
        return {
            "requests": len(network),
            "from_service_worker": len(rows) - len(network),
            "down_wire_bytes": sum(r["down_wire"] for r in network),
            "down_body_bytes": sum(r["down_body"] for r in network),
            "up_body_bytes": sum(r["up_body"] for r in network),
            "encodings": sorted({r["encoding"] or "identity" for r in network}),
            "up_encodings": sorted(
                {r["up_encoding"] or "identity" for r in network if r["up_body"]}
            ),
            "by_kind": kinds,
        }


def wait_until(page: Any, expression: str, timeout: float = 120, interval: float = 0.02) -> float:
    """Poll a JS expression until truthy (the app's CSP forbids wait_for_function's
    eval); returns the monotonic time it first held."""
    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(expression):
            return time.monotonic()
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(interval)


def throttle(cdp: Any, profile: dict[str, int] | None) -> None:
    if profile is None:
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        return
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": profile["latency"],
            "downloadThroughput": profile["down_kbit"] * 1000 / 8,
            "uploadThroughput": profile["up_kbit"] * 1000 / 8,
        },
    )


def idle(page: Any) -> None:
    wait_until(page, "!HazriApp.syncing && Number(document.body.dataset.pulls) >= 1")


def synced(page: Any, count: int) -> None:
    wait_until(
        page,
        f"HazriDB.getAll('queue').then(items => items.filter(i => i.status === 'synced')"
        f".length >= {count})",
        interval=0.05,
    )
    idle(page)


def mark_day(page: Any, absent_share: float) -> int:
    """Every section in every meeting, as a teacher: open it, tap the absent (about
    `absent_share` of the roll), save, and let the app send it before the next."""
    targets = page.eval_on_selector_all(
        "body[data-route=today] [data-section] [data-meeting] a.mark-button",
        "links => links.map(a => a.getAttribute('href'))",
    )
    done = 0
    for href in targets:
        page.goto(page.url.split("#")[0] + href)
        page.wait_for_selector("form[data-marking]")
        chips = page.locator("li[data-member] label.chip-A")
        for index in range(0, chips.count(), max(1, round(1 / absent_share))):
            chips.nth(index).tap()
        page.click("form[data-marking] button[type=submit]")
        page.wait_for_selector("body[data-route=today] .message.success")
        done += 1
        synced(page, done)
    return done


def measure(
    browser: Any, url: str, who: dict[str, Any], password: str, profile: dict[str, int] | None
) -> dict[str, Any]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        has_touch=True,
        is_mobile=True,
        locale="en-IN",
        timezone_id="Asia/Kolkata",
    )
    context.set_default_timeout(120_000)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    traffic = Traffic()
    traffic.attach(cdp)
    cdp.send("Network.enable")
    throttle(cdp, profile)
    out: dict[str, Any] = {"who": who}
    try:
        began = time.monotonic()
        page.goto(f"{url}/app/", wait_until="commit")
        page.wait_for_selector("#username", state="visible")
        out["first_load_s"] = time.monotonic() - began
        out["first_load_traffic"] = traffic.summary()

        traffic.reset()
        page.fill("#username", who["username"])
        page.fill("#password", password)
        began = time.monotonic()
        page.click("form[data-login] button[type=submit]")
        out["login_to_usable_s"] = wait_until(page, USABLE) - began
        out["login_to_sw_control_s"] = wait_until(page, CONTROLLED) - began
        idle(page)
        out["login_traffic"] = traffic.summary(api_only=True)

        later = []
        for _ in range(3):
            began = time.monotonic()
            page.reload(wait_until="commit")
            later.append(wait_until(page, STARTED, interval=0.01) - began)
            idle(page)
        out["later_start_s"] = min(later)
        out["later_start_runs_s"] = later

        context.set_offline(True)
        began = time.monotonic()
        page.reload(wait_until="commit")
        out["offline_restart_s"] = wait_until(page, STARTED, interval=0.01) - began
        context.set_offline(False)
        throttle(cdp, profile)  # Playwright's own emulation reset the throttle
        idle(page)

        traffic.reset()
        began = time.monotonic()
        page.evaluate("HazriApp.syncNow('button')")
        time.sleep(0.1)
        idle(page)
        out["day_roll_calls"] = mark_day(page, absent_share=0.1)
        out["day_s"] = time.monotonic() - began
        out["day_traffic"] = traffic.summary(api_only=True)
    finally:
        context.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def report(results: list[dict[str, Any]], settings: dict[str, Any]) -> None:
    print(  # noqa: T201
        f"profile {settings['profile']} {settings['throttle']}; server: runserver "
        f"(config.settings.local, SQLite); Content-Encoding seen: "
        + ", ".join(f"{k} {'/'.join(v) or '-'}" for k, v in settings["compressed"].items())
    )
    for r in results:
        who = r["who"]
        lines = [
            f"\n{who['username']} at {who['school']}: {who['students']} students, "
            f"{who['sections']} sections",
            f"  {'first load to the login screen':<44} {r['first_load_s']:7.2f} s  "
            f"({r['first_load_traffic']['requests']} requests, "
            f"{kb(r['first_load_traffic']['down_wire_bytes'])})",
            f"  {'login to a usable today screen':<44} {r['login_to_usable_s']:7.2f} s  "
            f"target <= {TARGETS['usable_today_s']:.0f} s "
            f"{'ok' if r['login_to_usable_s'] <= TARGETS['usable_today_s'] else 'OVER'}",
            f"  {'login to the service worker in control':<44} {r['login_to_sw_control_s']:7.2f} s",
            f"  {'later start from the service worker (best)':<44} {r['later_start_s']:7.2f} s  "
            f"target <= {TARGETS['later_start_s']:.0f} s "
            f"{'ok' if r['later_start_s'] <= TARGETS['later_start_s'] else 'OVER'}",
            f"  {'offline restart':<44} {r['offline_restart_s']:7.2f} s  "
            f"target <= {TARGETS['later_start_s']:.0f} s "
            f"{'ok' if r['offline_restart_s'] <= TARGETS['later_start_s'] else 'OVER'}",
        ]
        for label, key in (("login", "login_traffic"), ("a day of marking", "day_traffic")):
            t = r[key]
            lines.append(
                f"  traffic, {label}: {t['requests']} requests, down {kb(t['down_wire_bytes'])} "
                f"on the wire ({kb(t['down_body_bytes'])} decoded, {'/'.join(t['encodings'])}), "
                f"up {kb(t['up_body_bytes'])} ({'/'.join(t['up_encodings']) or '-'})"
            )
            for kind, k in sorted(t["by_kind"].items()):
                lines.append(
                    f"      {kind:<34} x{k['n']:<3} down {kb(k['down_wire']):>10}  up {kb(k['up']):>9}"
                )
        lines.append(
            f"  the day: {r['day_roll_calls']} roll calls marked and sent in {r['day_s']:.1f} s"
        )
        print("\n".join(lines))  # noqa: T201


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="2g")
    parser.add_argument("--as", dest="who", choices=["ravi", "largest", "both"], default="both")
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--students", type=int, default=6000)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "app-2g.json")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hazri-2g-") as name:
        folder = Path(name)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "HAZRI_SQLITE_PATH": str(folder / "hazri.sqlite3"),
            "HAZRI_VAR_DIR": str(folder),
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
        env.pop("DATABASE_URL", None)
        os.environ.clear()
        os.environ.update(env)
        started = time.monotonic()
        logins = load_demo(folder, args.schools, args.students, args.weeks)
        print(f"demo loaded in {time.monotonic() - started:.1f} s")  # noqa: T201
        chosen = ["ravi", "largest"] if args.who == "both" else [args.who]
        if args.who == "both" and logins["largest"]["username"] == "ravi":
            chosen = ["ravi"]
        from playwright.sync_api import sync_playwright

        from hazri.testing.browser import CHROMIUM, CHROMIUM_ARGS

        results = []
        with served(folder, env) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                for key in chosen:
                    results.append(
                        measure(
                            browser, url, logins[key], logins["password"], PROFILES[args.profile]
                        )
                    )
            finally:
                browser.close()

    def seen(keys: tuple[str, ...], field: str) -> list[str]:
        return sorted({e for r in results for k in keys for e in r[k][field]})

    api = ("login_traffic", "day_traffic")
    compressed = {
        "api_answers": seen(api, "encodings"),
        "api_uploads": seen(api, "up_encodings"),
        "shell_first_load": seen(("first_load_traffic",), "encodings"),
    }
    settings = {
        "profile": args.profile,
        "throttle": PROFILES[args.profile],
        "server": "manage.py runserver, config.settings.local, SQLite (as make run)",
        "demo": {"schools": args.schools, "students": args.students, "weeks": args.weeks},
        "compressed": compressed,
        "note": "CDP emulation throttles the page's requests (the API, the shell's first "
        "load); the service worker's own precache fetches are not throttled",
        "chromium": subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "machine": platform.platform(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    report(results, settings)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"settings": settings, "targets": TARGETS, "results": results}, indent=2) + "\n"
    )
    print(f"\nwrote {args.out}")  # noqa: T201


if __name__ == "__main__":
    main()
