#!/usr/bin/env bash
# Help-center search over HTTP: queries per second and latency with wrk on loopback, against a
# release walletdesk with its demo content (68 articles). Usage:
#   WALLETDESK_BIN=target/release/walletdesk bench/search-http/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${WALLETDESK_BIN:-${CARGO_TARGET_DIR:-target}/release/walletdesk}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 300); do
  url=$(sed -n 's#^listening on \(http://.*\)$#\1#p' "$work/out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/err" >&2; exit 1; }
sleep 1
curl -fsS "$url/api/v1/help/search?q=%E8%BD%AC%E8%B4%A6%E5%A4%B1%E8%B4%A5&lang=zh-CN" >/dev/null
for c in 1 4 16 64; do
  echo "== concurrency $c"
  wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d10s --latency -s "$here/search.lua" "$url" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|errors"
done
echo "idle+peak RSS of the server (kB): $(grep VmHWM /proc/$pid/status)"
