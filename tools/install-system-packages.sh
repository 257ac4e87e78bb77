#!/bin/sh
# The system packages the tests need, from Debian's or Ubuntu's archive: PostgreSQL (its
# initdb and pg_ctl start the server tests/postgres.py runs). Installs nothing that is
# already there; uses sudo when not run as root.
set -eu
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends postgresql
