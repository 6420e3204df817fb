#!/usr/bin/env bash
# Fuzz the served API with schemathesis: the demo district in a throwaway database
# (SQLite, or PostgreSQL when DATABASE_URL is set, as under scripts/with-postgres.sh),
# Django's server on a free 127.0.0.1 port, and every operation fed positive and negative
# data as the head teacher and as the block officer, with the district's real ids. Fails
# on any 5xx; stops the server it started.
#   scripts/fuzz.sh [examples per operation, default 40]
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
BIN=$(cd "${BIN:-.venv/bin}" && pwd)
work=$(mktemp -d /tmp/hazri-fuzz.XXXXXX)
server=
stop() {
  local status=$?
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ $status -eq 0 ]; then rm -rf "$work"; else echo "fuzz: logs kept in $work" >&2; fi
}
trap stop EXIT
export HAZRI_SQLITE_PATH="$work/hazri.sqlite3"
db=${DATABASE_URL:+postgresql}
echo "fuzz: the demo district on ${db:-sqlite}"
"$BIN/hazri" migrate --noinput -v0
"$BIN/hazri" demo --if-empty >/dev/null
port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN/hazri" runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
up=
for _ in $(seq 100); do
  kill -0 "$server" 2>/dev/null || break
  if "$BIN/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$base/api/v1/openapi.json" 2>/dev/null; then up=1; break; fi
  sleep 0.2
done
if [ -z "$up" ]; then
  echo "fuzz: the server did not start on $base" >&2
  cat "$work/server.log" >&2
  exit 1
fi

# The ids of the head's school, a class, a child and a roll call, the officer's block.
"$BIN/hazri" shell -v0 -c '
from hazri.accounts.models import OfficerGrant
from hazri.attendance.models import RollCall
from hazri.people.models import Posting, Enrolment
school = Posting.objects.filter(staff__user__username="ravi").first().school
rollcall = RollCall.objects.filter(school=school).first()
enrolment = Enrolment.objects.filter(section=rollcall.section).first()
block = OfficerGrant.objects.filter(user__username="meera").first().unit
print(f"""[parameters]
"path.school_id" = {school.pk}
"path.section_id" = {rollcall.section_id}
"path.student_id" = {enrolment.student_id}
"path.rollcall_id" = {rollcall.pk}
"query.unit" = {block.pk}
"query.school" = {school.pk}""")
' >"$work/schemathesis.toml"

status=0
for user in ravi meera; do
  token=$("$BIN/python" - "$base" "$user" <<'PY'
import json, sys, urllib.request

base, user = sys.argv[1:]
body = {"username": user, "password": "hazri-demo", "device_name": "fuzz"}
request = urllib.request.Request(
    f"{base}/api/v1/auth/token", json.dumps(body).encode(), {"Content-Type": "application/json"}
)
print(json.load(urllib.request.urlopen(request, timeout=10))["token"])
PY
)
  echo "fuzz: as $user, $examples examples per operation"
  # Logging out (DELETE /auth/token) would end the run's own token: it is left out.
  "$BIN/st" --config-file "$work/schemathesis.toml" run "$base/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" --checks not_a_server_error \
    --max-examples "$examples" --exclude-method DELETE --no-color >"$work/st-$user.log" 2>&1 ||
    status=1
  grep -E "generated|Seed" "$work/st-$user.log" | sed 's/^/  /' || true
  if [ $status -ne 0 ]; then
    tail -n 80 "$work/st-$user.log"
    break
  fi
done
# A 5xx answer, and a batch item that failed inside a 200 (logged with its traceback).
errors=$(grep -cE '" 5[0-9]{2} |Traceback' "$work/server.log" || true)
echo "fuzz: ${errors:-0} server errors in $(grep -cE '" [0-9]{3} ' "$work/server.log" || true) requests"
if [ "${errors:-0}" -ne 0 ]; then
  grep -E -A3 '" 5[0-9]{2} |Traceback' "$work/server.log" | head -40
  status=1
fi
exit $status
