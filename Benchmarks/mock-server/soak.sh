#!/usr/bin/env bash
# Benchmarks/mock-server/soak.sh: resident memory across a run of at least 1,000,000 requests, journal on.
#
# Starts `tiktok-harness serve` with a journal, drives it with the load script's request (wrk -t2 -c64) until
# REQUESTS requests have been answered, and samples VmRSS every 2 s. Prints the samples and the verdict: the RSS
# after warm-up (first sample past 100k requests) against the last sample. Usage:
#   Benchmarks/mock-server/soak.sh [REQUESTS]        (default 1000000)
# Environment: LOAD_DIR, SCRATCH, BIN as in run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_DIR=${LOAD_DIR:-$ROOT/../shared/load}
SCRATCH=${SCRATCH:-$ROOT/.build-mock-bench}
TARGET=${1:-1000000}
PORT=8092
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-mock-rel --product tiktok-harness)
  BIN=$ROOT/.build-mock-rel/release/tiktok-harness
fi
mkdir -p "$SCRATCH/journals"
cp "$LOAD_DIR"/post_event.lua "$SCRATCH"/
cd "$SCRATCH"
JOURNAL=journals/soak.jsonl
rm -f "$JOURNAL"
"$BIN" serve --port $PORT --journal "$JOURNAL" > soak-server.log 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for i in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/__admin/health" && break; sleep 0.1; done
rss() { awk '/^VmRSS:/{print $2}' /proc/$PID/status; }
lines() { curl -s "http://127.0.0.1:$PORT/__admin/health" | sed 's/.*"last_seq":\([0-9]*\).*/\1/'; }
echo "requests rss_kb"
echo "0 $(rss)"
wrk -t2 -c64 -d600s --timeout 5s -s post_event.lua "http://127.0.0.1:$PORT/open_api/v1.3/event/track/" > soak-wrk.txt 2>&1 &
WRK=$!
samples=()
while true; do
  sleep 2
  n=$(lines); r=$(rss)
  echo "$n $r"; samples+=("$n:$r")
  [ "$n" -ge "$TARGET" ] && break
done
kill -INT $WRK 2>/dev/null || true; wait $WRK 2>/dev/null || true
warm=""; for s in "${samples[@]}"; do n=${s%%:*}; [ "$n" -ge 100000 ] && { warm=${s##*:}; break; }; done
last=${samples[-1]##*:}
echo "journal_lines=$(wc -l < "$JOURNAL") rss_after_100k_kb=$warm rss_end_kb=$last peak_kb=$(awk '/^VmHWM:/{print $2}' /proc/$PID/status)"
kill -TERM $PID; wait $PID 2>/dev/null || true
rm -f "$JOURNAL"
