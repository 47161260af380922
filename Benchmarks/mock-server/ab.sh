#!/usr/bin/env bash
# Benchmarks/mock-server/ab.sh: quick back-to-back comparisons while working on the mock (not the reference
# method: that is run.sh). Each ROUND runs every given server command once: 3 s warm-up, then one 10 s
# `wrk -t2 -c64 --latency -s post_event.lua` run, and prints req/s, p50, p99 and the server's CPU µs per request.
# Alternating the commands round by round spreads the machine's drift over all of them. Usage:
#   Benchmarks/mock-server/ab.sh ROUNDS PORT 'CMD1' ['CMD2' ...]
# e.g. Benchmarks/mock-server/ab.sh 2 8090 \
#   "$BIN serve --port 8090 --journal /tmp/j.jsonl" "$BIN serve --port 8090 --journal /dev/shm/j.jsonl"
# Each command must serve on 127.0.0.1:PORT; journals named in the commands are deleted before each run.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_DIR=${LOAD_DIR:-$ROOT/../shared/load}
ROUNDS=$1; PORT=$2; shift 2
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install -y wrk)" >&2; exit 2; }
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
cp "$LOAD_DIR/post_event.lua" "$SCRATCH/"
URL=http://127.0.0.1:$PORT/open_api/v1.3/event/track/
hz=$(getconf CLK_TCK)
for round in $(seq "$ROUNDS"); do
  for cmd in "$@"; do
    for word in $cmd; do case $word in *.jsonl) rm -f "$word" ;; esac; done
    (cd "$SCRATCH" && exec $cmd) > "$SCRATCH/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
    (cd "$SCRATCH" && wrk -t2 -c64 -d3s --timeout 5s -s post_event.lua "$URL" > /dev/null)
    t0=$(sed 's/.*) //' /proc/$pid/stat | awk '{print $12+$13}')
    (cd "$SCRATCH" && wrk -t2 -c64 -d10s --timeout 5s --latency -s post_event.lua "$URL" > wrk.out)
    t1=$(sed 's/.*) //' /proc/$pid/stat | awk '{print $12+$13}')
    kill "$pid"; wait "$pid" 2>/dev/null
    line=$(grep '^RESULT' "$SCRATCH/wrk.out")
    req=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
    echo "round $round: $(echo "$line" | grep -o 'rps=[0-9.]*\|p50_us=[0-9]*\|p99_us=[0-9]*' | tr '\n' ' ')cpu_us_per_req=$(awk -v a="$t0" -v b="$t1" -v h="$hz" -v n="$req" 'BEGIN{printf "%.1f", (b-a)/h*1e6/n}')  [$cmd]"
    for word in $cmd; do case $word in *.jsonl) rm -f "$word" ;; esac; done
  done
done
