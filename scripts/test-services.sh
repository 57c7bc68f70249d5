#!/usr/bin/env bash
# Run a command (the test suite) with the outside services the tests use: a throwaway
# PostgreSQL server and Debian's Chromium. Installs them with apt when running as root and they
# are missing; otherwise the tests that need them are skipped with the reason (in CI, where
# MLPIVOT_REQUIRE_ALL=1, a skip of that kind is a failure).
set -euo pipefail

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (apt)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [ -x /usr/bin/chromium ]; then
  export MLPIVOT_TEST_CHROMIUM=/usr/bin/chromium
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
pgdir=""
cleanup() {
  if [ -n "$pgdir" ] && [ -f "$pgdir/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  [ -n "$pgdir" ] && rm -rf "$pgdir"
}
trap cleanup EXIT

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "${MLPIVOT_TEST_POSTGRES_URL:-}" ] && [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
  pgdir=$(mktemp -d /tmp/mlpivot-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
  port=$(( 54000 + RANDOM % 900 ))
  as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  export MLPIVOT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL for the tests: 127.0.0.1:$port"
fi

"$@"
