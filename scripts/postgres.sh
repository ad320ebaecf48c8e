#!/usr/bin/env bash
# A real PostgreSQL without Docker: Debian's server (apt-get install postgresql), a cluster of its
# own in DIR with logical decoding on (wal_level=logical, which Debezium's change data capture
# reads), listening on 127.0.0.1:PORT only, with the database and user kafka_demo (password
# kafka_demo) that the connector files in connect/ use. Runs in the foreground; Ctrl-C stops it.
#
#   scripts/postgres.sh [-h] [--port PORT] [--data-dir DIR] [--no-fsync]
#   --port       default 5432
#   --data-dir   default target/postgres (kept across runs; delete it for a fresh database)
#   --no-fsync   faster, for tests: a crash of the machine may lose the data
#   Then: psql -h 127.0.0.1 -p PORT -U kafka_demo kafka_demo
set -euo pipefail

PORT=5432
DATA=""
FSYNC=on
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --port) PORT="$2"; shift 2 ;;
    --data-dir) DATA="$2"; shift 2 ;;
    --no-fsync) FSYNC=off; shift ;;
    *) echo "postgres.sh: unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
DATA=$(realpath -m "${DATA:-target/postgres}")

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ] || [ ! -x "$BIN/postgres" ]; then
  echo "postgres.sh: no PostgreSQL server found: install it (Debian/Ubuntu: apt-get install postgresql) or use Docker (docker-compose up -d postgres)" >&2
  exit 3
fi
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --no-sync >/dev/null
fi
OPTIONS="-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c wal_level=logical"
OPTIONS="$OPTIONS -c max_wal_senders=8 -c max_replication_slots=8 -c fsync=$FSYNC -c synchronous_commit=$FSYNC"
if ! as_owner "$BIN/pg_ctl" -D "$DATA" -o "$OPTIONS" -l "$DATA/server.log" -w -s start; then
  echo "postgres.sh: PostgreSQL did not start (port $PORT in use?):" >&2
  tail -5 "$DATA/server.log" >&2
  exit 1
fi
# A fast shutdown: open sessions (a Connect worker's) are ended, not waited for.
trap 'as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -s stop >/dev/null 2>&1; exit 0' INT TERM
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SELECT 'CREATE ROLE kafka_demo LOGIN REPLICATION PASSWORD ''kafka_demo'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kafka_demo') \gexec
SELECT 'CREATE DATABASE kafka_demo OWNER kafka_demo'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kafka_demo') \gexec
SQL
echo "PostgreSQL ready on 127.0.0.1:$PORT: database kafka_demo, user kafka_demo (data in $DATA). Ctrl-C stops it." >&2
SERVER=$(head -1 "$DATA/postmaster.pid")
while kill -0 "$SERVER" 2>/dev/null; do sleep 1 & wait $! 2>/dev/null; done
