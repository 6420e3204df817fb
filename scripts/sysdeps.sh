#!/usr/bin/env bash
# Install the Debian packages Hazri needs when they are missing. Needs root; as
# another user it only says what is missing.
#   scripts/sysdeps.sh run    fonts and Pango, for the PDFs the server renders
#   scripts/sysdeps.sh test   those, plus a browser, gettext, PostgreSQL, poppler-utils, Node
#   scripts/sysdeps.sh bench  the test set, plus wrk (the HTTP load generator)
set -euo pipefail
mode=${1:-test}

need=()
ls /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf >/dev/null 2>&1 || need+=(fonts-noto-core)
libs=$(ldconfig -p 2>/dev/null || true)
grep -q libpangoft2-1.0.so.0 <<<"$libs" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
grep -q libharfbuzz-subset.so.0 <<<"$libs" || need+=(libharfbuzz-subset0)
if [ "$mode" != run ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # The test OpenID provider (hazri/signon/tests/provider): Node 18+ and npm.
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi
if [ "$mode" = bench ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts a cluster on install; the tests run their own on another port.
if [[ " ${need[*]} " == *" postgresql "* ]]; then
  (service postgresql stop || true) >/dev/null 2>&1
fi
