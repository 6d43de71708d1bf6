#!/usr/bin/env bash
# System packages Asta needs: the PostgreSQL server binaries for the embedded database.
set -euo pipefail

# --test: also the servers the test suite talks to (Redis, for the Redis job broker).
WANT_REDIS=0
[ "${1:-}" = "--test" ] && WANT_REDIS=1

have_postgres() {
  command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1
}

packages=()
have_postgres || packages+=(postgresql postgresql-contrib)
if [ "$WANT_REDIS" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  packages+=(redis-server)
fi
[ ${#packages[@]} -eq 0 ] && exit 0
echo "asta: installing ${packages[*]} (Debian packages)" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "asta: run as root or install the 'postgresql' package yourself" >&2; exit 1
  fi
else
  SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
have_postgres
