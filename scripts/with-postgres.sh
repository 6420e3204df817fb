#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on 127.0.0.1, then stop it.
#   scripts/with-postgres.sh pytest ...
# The server lives in a temporary directory and is removed afterwards; the command
# sees DATABASE_URL pointing at it.
#
# The tests' server trades durability for speed (fsync, synchronous_commit and
# full_page_writes off: a crash loses it, and it is thrown away anyway). A figure that
# sizes production needs PostgreSQL's durable defaults: HAZRI_PG_DURABLE=1 starts the
# server with them (the benchmarks record the settings they ran under).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
# A free port unless one is asked for: two runs side by side must not collide.
port=${HAZRI_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
data=$(mktemp -d /tmp/hazri-pg.XXXXXX)
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres: "$data"
  run_as=(runuser -u postgres --)
fi

stop() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap stop EXIT

"${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
throwaway="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${HAZRI_PG_DURABLE:-0}" = 1 ]; then
  throwaway=""
fi
"${run_as[@]}" "$bin/pg_ctl" -D "$data" -w -l "$data/server.log" \
  -o "-h 127.0.0.1 -p $port -k $data $throwaway ${HAZRI_PG_OPTS:-}" \
  start >/dev/null
"${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hazri
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/hazri"
"$@"
