#!/usr/bin/env bash
# Install everything the tests need (Python packages in .venv, Chromium and gettext from Debian when
# missing), then run the whole test suite, browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium gettext >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]' -c constraints.txt
exec .venv/bin/python -m pytest "$@"
