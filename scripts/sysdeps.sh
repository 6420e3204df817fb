#!/usr/bin/env bash
# Install the Debian packages the tests need (a browser, fonts, gettext, PostgreSQL)
# when they are missing. Needs root; as another user it only says what is missing.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
ls /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf >/dev/null 2>&1 || need+=(fonts-noto-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)

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
