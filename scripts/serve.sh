#!/usr/bin/env bash
# Serve the embedded default on 127.0.0.1:8000 with its background work: the
# django-tasks worker (DatabaseBackend, no broker) and the scheduler that enqueues
# the periodic jobs (rollups every minute, nightly rollups and pruning).
# Ctrl-C stops all three.
set -euo pipefail
BIN=${BIN:-.venv/bin}
"$BIN/hazri" db_worker --interval 5 --no-reload -v0 &
worker=$!
"$BIN/hazri" scheduler --interval 10 >/dev/null &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
"$BIN/hazri" runserver 127.0.0.1:8000
