#!/usr/bin/env bash
# Two builds side by side on ticket creation: one server, one wrk load, and perf stat on the
# server for its CPU time and context switches per ticket (SQLite, demo off). Loopback only.
#
#   bench/tickets/ab.sh BIN [CONCURRENCY=1] [SECONDS=10]
#
# Prints tickets/s, CPU ms per ticket, context switches per ticket and p99. Needs wrk and perf.
set -euo pipefail
BIN=$(realpath "$1"); C=${2:-1}; S=${3:-10}
d=$(mktemp -d /tmp/ab.XXXX); port=$((20000 + RANDOM % 10000))
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$d"' EXIT
cat > $d/w.toml <<T
listen = "127.0.0.1:$port"
data_dir = "$d/data"
demo = false
[limits]
window_secs = 600
tickets_per_ip = 4000000000
tickets_per_email = 1000000
T
# The configuration file only, as bench.py does: no WALLETDESK_* variable of the caller's.
(cd "$d" && env $(env | sed -n 's/^\(WALLETDESK_[A-Z0-9_]*\)=.*/-u \1/p') "$BIN" serve --config "$d/w.toml" > "$d/out.log" 2>&1 &)
for _ in $(seq 100); do grep -q listening "$d/out.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$d/out.log" || { echo "the server did not start; see its log:" >&2; cat "$d/out.log" >&2; exit 1; }
PID=$(pgrep -f "serve --config $d/w.toml" | head -1)
cd "$(dirname "$0")"
wrk -t1 -c$C -d2s -s tickets.lua http://127.0.0.1:$port -- walletdesk w >/dev/null
perf stat -x, -e task-clock,context-switches -p $PID -o $d/stat -- sleep $((S+1)) &
sleep 0.3
out=$(wrk -t1 -c$C -d${S}s -s tickets.lua http://127.0.0.1:$port -- walletdesk m | grep BENCH)
wait
req=$(echo "$out" | sed 's/.*"created":\([0-9]*\).*/\1/')
p99=$(echo "$out" | sed 's/.*"p99_us":\([0-9]*\).*/\1/')
tc=$(grep task-clock $d/stat | cut -d, -f1); cs=$(grep context-switches $d/stat | cut -d, -f1)
python3 -c "r=$req;print(f'c=$C req/s={r/$S:.0f} cpu_ms/req={$tc/r:.3f} cs/req={$cs/r:.1f} p99_us=$p99')"
