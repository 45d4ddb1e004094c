#!/usr/bin/env bash
# Inbound mail per stdin delivery: one `walletdesk mail receive` process per message, as a
# Postfix pipe runs it, into a fresh data directory. Prints figures; asserts nothing.
#
#   cargo build --release -p walletdesk
#   WALLETDESK_BIN=target/release/walletdesk bench/mail-receive.sh   # N=200 messages by default
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${WALLETDESK_BIN:-$here/target/release/walletdesk}"
n="${N:-200}"
corpus="$here/crates/mail/tests/corpus"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
shapes=("$corpus"/qq-gbk-base64.eml "$corpus"/163-gb18030-qp.eml "$corpus"/outlook-html-only.eml
        "$corpus"/gmail-reply-quote.eml "$corpus"/apple-mail-zh.eml "$corpus"/foxmail-gbk.eml
        "$corpus"/big5.eml "$corpus"/out-of-office.eml)
# Each message gets its own sender and Message-ID (the per-sender limit and the duplicate
# check would otherwise stop most of them).
msgs="$(mktemp -d)"
trap 'rm -rf "$data" "$msgs"' EXIT
for ((i = 0; i < n; i++)); do
  f="${shapes[$((i % ${#shapes[@]}))]}"
  sed -e "s/^From: .*/From: user$i@bench.example/" -e "s/^Message-I[Dd]: .*/Message-ID: <s$i@bench.example>/" "$f" > "$msgs/$i.eml"
done
"$bin" migrate --data-dir "$data" > /dev/null
ok=0
start=$(date +%s.%N)
for ((i = 0; i < n; i++)); do
  if "$bin" mail receive --data-dir "$data" < "$msgs/$i.eml" > /dev/null 2>&1; then ok=$((ok + 1)); fi
done
end=$(date +%s.%N)
awk -v n="$n" -v ok="$ok" -v s="$start" -v e="$end" 'BEGIN {
  t = e - s; printf "mail receive (one process per message): %d messages, %d taken, %.2f s: %.1f messages/s, %.1f ms each\n", n, ok, t, n / t, 1000 * t / n }'
