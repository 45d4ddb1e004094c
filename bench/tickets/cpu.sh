#!/usr/bin/env bash
# Server CPU per created ticket, for a quick before/after on one running server:
#
#   bench/tickets/cpu.sh PID URL CONCURRENCY TAG
#
# PID: the `walletdesk serve` process; URL: its address; TAG keeps e-mails unique between
# runs. Runs wrk (1 thread, 5 s, tickets.lua) and prints tickets/s, p99, tickets created and the
# server's CPU time (utime + stime from /proc/PID/stat) per created ticket. CPU per ticket
# moves much less than throughput when other processes share the machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pid=$1 url=$2 c=$3 tag=$4
ticks=$(getconf CLK_TCK)
t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
out=$(wrk -t1 -c"$c" -d5s --latency -s "$here/tickets.lua" "$url" -- walletdesk "$tag" 2>&1)
t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
n=$(echo "$out" | grep -o '"created":[0-9]*' | cut -d: -f2)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
echo "c=$c tickets/s=$rps p99=$p99 created=$n server_cpu_ms_per_ticket=$(echo "scale=3; ($t1-$t0)*1000/$ticks/$n" | bc) load=$(cut -d' ' -f1 /proc/loadavg)"
