#!/usr/bin/env bash
# Help-center search over HTTP: queries per second and latency with wrk on loopback, against a
# release walletdesk whose help center holds ARTICLES articles (default 2000): the 68 demo
# articles plus generated ones, made for the benchmark only by the `bench_articles` example
# (crates/server/examples/bench_articles.rs, through the store; the product's demo content is
# unchanged). Build both first:
#   cargo build --release -p walletdesk
#   cargo build --release -p walletdesk-server --example bench_articles
#   bench/search-http/run.sh                      # CONCURRENCY="1 4 16 64" DURATION=10s ARTICLES=2000
#   SCRIPT=search-longtail.lua bench/search-http/run.sh   # 495 distinct queries: no cache hits
# PostgreSQL: set WALLETDESK_DATABASE_URL to an empty database's URL.
#
# After the runs the server is stopped with SIGTERM (graceful shutdown) and, on SQLite, the
# search log is counted: it must hold one row per answered search (none lost in the queue).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-target}"
bin="${WALLETDESK_BIN:-$target/release/walletdesk}"
gen="${BENCH_ARTICLES_BIN:-$target/release/examples/bench_articles}"
articles="${ARTICLES:-2000}"
duration="${DURATION:-10s}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

WALLETDESK_LOG=warn "$gen" "$work/data" "$articles"
"$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" \
  >"$work/out" 2>"$work/err" &
pid=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's#^listening on \(http://.*\)$#\1#p' "$work/out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/err" >&2; exit 1; }
sleep 1
curl -fsS "$url/api/v1/help/search?q=%E8%BD%AC%E8%B4%A6%E5%A4%B1%E8%B4%A5&lang=zh-CN" >/dev/null
answered=1
for c in ${CONCURRENCY:-1 4 16 64}; do
  echo "== concurrency $c ($(uptime | sed 's/.*load average/load average/'))"
  # WRK_THREADS=1 keeps the long tail strictly cyclic (two wrk threads can drift into step and
  # hit the result cache now and then).
  wrk -t"${WRK_THREADS:-$(( c < 2 ? 1 : 2 ))}" -c"$c" -d"$duration" --latency -s "$here/${SCRIPT:-search.lua}" "$url" \
    >"$work/wrk" || { cat "$work/wrk"; exit 1; }
  grep -E "Latency|50%|99%|requests in|Requests/sec|Non-2xx|errors" "$work/wrk"
  if grep -q "Non-2xx" "$work/wrk"; then echo "non-2xx responses: not a valid run" >&2; exit 1; fi
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk")
  answered=$(( answered + n ))
done
echo "peak RSS of the server: $(grep VmHWM /proc/$pid/status | tr -s ' \t' ' ')"
kill -TERM "$pid"
wait "$pid" || true
pid=
if [ -z "${WALLETDESK_DATABASE_URL:-}" ] && command -v sqlite3 >/dev/null; then
  logged=$(sqlite3 "$work/data/walletdesk.db" "SELECT COUNT(*) FROM search_log")
  echo "searches answered: $answered, in the search log after shutdown: $logged"
  # wrk counts completed responses only; requests cut off at the end of a run may still have
  # been answered and logged, so the log may hold a few more, never fewer.
  [ "$logged" -ge "$answered" ] || { echo "search log entries lost" >&2; exit 1; }
fi
