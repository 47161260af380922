#!/usr/bin/env bash
# Transformer benchmark (issue: processor throughput and peak memory on >= 20,000 events, next to a baseline
# measured in the same run). Usage: Benchmarks/transformer/run.sh [EVENTS] [ITERATIONS] [ROUNDS]
#
# The events are the upstream vectors' processor inputs, cycled with distinct messageId/jobId. Each round runs the
# Swift benchmark (release build) and the CPython baseline (json.loads + json.dumps of the same file) back to back,
# so both see the same machine load. Throughput is given per wall second and per CPU second (user + system).
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
iterations=${2:-5}
rounds=${3:-3}
vectors=../shared/conformance/upstream
[ -f "$vectors/processor.json" ] || { echo "needs $vectors (the upstream vectors)" >&2; exit 2; }
swift build -c release --product harness-bench >&2
bench=$(swift build -c release --show-bin-path)/harness-bench
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 Benchmarks/transformer/make_events.py "$vectors" "$events" "$scratch/events.json" >&2
for round in $(seq "$rounds"); do
  "$bench" processor "$scratch/events.json" --iterations "$iterations" | tail -1 | sed "s/^{/{\"round\":$round,/"
  python3 Benchmarks/transformer/baseline.py "$scratch/events.json" "$iterations" | tail -1 | sed "s/^{/{\"round\": $round, /"
done | tee "$scratch/results.jsonl"
python3 - "$scratch/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(kind, key):
    return statistics.median(r[key] for r in rows if r["summary"] == kind)
sw, py = med("swift", "median_events_per_s"), med("cpython", "median_events_per_s")
swc, pyc = med("swift", "median_events_per_cpu_s"), med("cpython", "median_events_per_cpu_s")
rss_sw = max(r["peak_rss_kib"] for r in rows if r["summary"] == "swift")
rss_py = max(r["peak_rss_kib"] for r in rows if r["summary"] == "cpython")
print(f"swift  {sw:>9,.0f} events/s (wall)  {swc:>9,.0f} events/CPU-s  peak RSS {rss_sw/1024:,.0f} MiB")
print(f"cpython {py:>8,.0f} events/s (wall)  {pyc:>9,.0f} events/CPU-s  peak RSS {rss_py/1024:,.0f} MiB")
print(f"ratio (swift / cpython): {sw/py:.2f}x wall, {swc/pyc:.2f}x CPU")
PY
