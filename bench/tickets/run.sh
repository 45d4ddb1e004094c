#!/usr/bin/env bash
# Ticket creation over HTTP: walletdesk vs django-helpdesk (gunicorn, 2 workers), on SQLite and
# PostgreSQL, same load generator (wrk + tickets.lua), loopback only. One command:
#
#   bench/tickets/run.sh                 # from anywhere inside the repository
#
# Environment: WALLETDESK_BIN (default ${CARGO_TARGET_DIR:-target}/release/walletdesk, built when
# missing), BENCH_DURATION (10 s per level), BENCH_WARMUP (2 s), BENCH_LEVELS (1,4,16),
# BENCH_NO_PG=1 to skip PostgreSQL, BENCH_ONLY (e.g. walletdesk/sqlite,django-helpdesk/sqlite).
# Needs python3 with venv, network access to PyPI the first time, wrk (apt-get install wrk) and
# PostgreSQL 15 binaries (apt-get install postgresql). Writes bench/tickets/results.md and .json;
# extra arguments go to bench.py (--out FILE).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

bin="${WALLETDESK_BIN:-${CARGO_TARGET_DIR:-target}/release/walletdesk}"
if [[ ! -x "$bin" ]]; then
  echo "building $bin"
  cargo build --release -p walletdesk
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

# The versions peers.md found to resolve on CPython 3.11.
venv="$here/.venv"
if [[ ! -x "$venv/bin/gunicorn" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "django-helpdesk==2.6.1" "Django==5.2.19" \
    "djangorestframework==3.18.3" "gunicorn==27.0.1" "psycopg[binary]==3.3.9"
fi

# A private PostgreSQL cluster, as scripts/test makes one, but durable (fsync on, the default):
# the comparison with SQLite in synchronous=FULL would be meaningless otherwise.
pg_dir=""
pg_as=()
pg_bin=""
pg_args=()
stop_pg() {
  if [[ -n "$pg_dir" ]]; then
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
if [[ -z "${BENCH_NO_PG:-}" ]]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then pg_bin="$d"; break; fi
  done
  [[ -n "$pg_bin" ]] || { echo "PostgreSQL is not installed (or set BENCH_NO_PG=1)" >&2; exit 1; }
  pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/benchtix-pg.XXXXXX")"
  trap stop_pg EXIT
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres:postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
  fi
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  pg_port=""
  for port in 5441 5442 5443 5444 5445 5446 5447 5448; do
    if "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null; then
      pg_port="$port"
      break
    fi
  done
  [[ -n "$pg_port" ]] || { echo "could not start PostgreSQL:" >&2; cat "$pg_dir/server.log" >&2; exit 1; }
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
  export BENCH_PG_DATA="$pg_dir/data"
  pg_args=(--pg-port "$pg_port" --pg-bin "$pg_bin")
fi

echo "walletdesk: $bin ($("$bin" --version))"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_CMD="bench/tickets/run.sh"
"$venv/bin/python" "$here/bench.py" --walletdesk-bin "$bin" --venv "$venv" "${pg_args[@]}" \
  --levels "${BENCH_LEVELS:-1,4,16}" --warmup "${BENCH_WARMUP:-2}" \
  --duration "${BENCH_DURATION:-10}" --only "${BENCH_ONLY:-}" "$@"
