#!/bin/sh
# The system packages the tests need, from Debian's or Ubuntu's archive: PostgreSQL (its
# initdb and pg_ctl start the server tests/postgres.py runs) and Chromium (the headless
# browser tests/browser.py drives through Playwright, for the dataset page). Installs
# nothing that is already there; uses sudo when not run as root.
set -eu
missing=""
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing="$missing postgresql"
fi
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    missing="$missing chromium"
fi
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -q
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
