#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's postgresql
# package: its own data directory in a temporary folder, on a loopback port,
# trust authentication for the local user `postgres`.
#   scripts/postgres.sh start [port]   prints the server's URL (no database)
#   scripts/postgres.sh stop           stops it and removes its folder
# Run as root, the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
STATE=${KEEL_PG_STATE:-/tmp/keel-test-postgres}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}
case "${1:-}" in
  start)
    port=${2:-55432}
    if [[ -f "$STATE/port" ]] && as_pg "$BIN/pg_ctl -D $STATE/data status" >/dev/null 2>&1; then
      echo "postgres://postgres@127.0.0.1:$(cat "$STATE/port")"
      exit 0
    fi
    rm -rf "$STATE"
    mkdir -p "$STATE"
    [[ $(id -u) -eq 0 ]] && chown postgres "$STATE"
    as_pg "$BIN/initdb -D $STATE/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$STATE.initdb.log" 2>&1 \
      || { cat "$STATE.initdb.log" >&2; exit 1; }
    # Tests make a database each; durability is not what they test.
    as_pg "$BIN/pg_ctl -D $STATE/data -l $STATE/log -w start -o \"-p $port -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\"" >/dev/null \
      || { cat "$STATE/log" >&2; exit 1; }
    echo "$port" | as_pg "tee $STATE/port" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port"
    ;;
  stop)
    if [[ -d "$STATE/data" ]]; then
      as_pg "$BIN/pg_ctl -D $STATE/data -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$STATE" "$STATE.initdb.log"
    ;;
  *)
    echo "usage: $0 start [port] | stop" >&2
    exit 2
    ;;
esac
