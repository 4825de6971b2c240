#!/usr/bin/env bash
# Make a PostgreSQL server available on loopback for the e2e tests.
# Installs the Debian package when missing and starts a private cluster under .pgdata/
# (port 55432) unless PG* settings already point at a running server.
set -euo pipefail
PORT="${INTACCT_TEST_PG_PORT:-55432}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$ROOT/.pgdata"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing postgresql (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
BINDIR="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
RUNAS=()
if [ "$(id -u)" = "0" ]; then RUNAS=(runuser -u postgres --); fi
# The server runs as the postgres user: keep its data where that user can reach it.
if [ "${#RUNAS[@]}" -gt 0 ] && ! "${RUNAS[@]}" test -x "$ROOT"; then
  DATA="${TMPDIR:-/tmp}/intacct-pgdata"
fi
if "$BINDIR/pg_isready" -h 127.0.0.1 -p "$PORT" -q; then
  echo "postgres already running on 127.0.0.1:$PORT"; exit 0
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
  "${RUNAS[@]}" "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust >/dev/null
fi
"${RUNAS[@]}" "$BINDIR/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" -l "$DATA/server.log" -w start >/dev/null
echo "postgres started on 127.0.0.1:$PORT"
