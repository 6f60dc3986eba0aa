#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite and print its URL.
# Usage: scripts/start-postgres.sh DATA_DIR PORT   (DATA_DIR is created; the server log stays inside it)
set -euo pipefail
data_dir=${1:?data dir}
port=${2:-54329}
bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin_dir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_postgres=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: run the server as the postgres user.
  as_postgres=(runuser -u postgres --)
  mkdir -p "$data_dir"
  chown postgres:postgres "$data_dir"
fi

if [ ! -f "$data_dir/PG_VERSION" ]; then
  "${as_postgres[@]}" "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
"${as_postgres[@]}" "$bin_dir/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off" start >/dev/null
psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='gcm_test'" | grep -q 1 ||
  psql -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE gcm_test" >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$port/gcm_test"
