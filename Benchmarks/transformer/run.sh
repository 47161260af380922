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
  for workers in 1 2; do
    "$bench" processor "$scratch/events.json" --iterations "$iterations" --workers "$workers" | tail -1 \
      | sed "s/^{/{\"round\":$round,/"
  done
  python3 Benchmarks/transformer/baseline.py "$scratch/events.json" "$iterations" | tail -1 | sed "s/^{/{\"round\": $round, /"
done | tee "$scratch/results.jsonl"
python3 - "$scratch/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(kind, workers=None):
    return [r for r in rows if r["summary"] == kind and (workers is None or r.get("workers") == workers)]
def med(sel, key):
    return statistics.median(r[key] for r in sel)
py = pick("cpython")
pyw, pyc = med(py, "median_events_per_s"), med(py, "median_events_per_cpu_s")
print(f"cpython json.loads+dumps  {pyw:>9,.0f} events/s (wall)  {pyc:>9,.0f} events/CPU-s  "
      f"peak RSS {max(r['peak_rss_kib'] for r in py)/1024:,.0f} MiB")
for workers, label in [(1, "swift, 1 thread         "), (2, "swift, pipeline on 2 cores")]:
    sel = pick("swift", workers)
    w, c = med(sel, "median_events_per_s"), med(sel, "median_events_per_cpu_s")
    rss = max(r["peak_rss_kib"] for r in sel)
    print(f"{label} {w:>9,.0f} events/s (wall)  {c:>9,.0f} events/CPU-s  peak RSS {rss/1024:,.0f} MiB"
          f"  ratio {w/pyw:.2f}x wall, {c/pyc:.2f}x CPU")
PY
