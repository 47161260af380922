#!/usr/bin/env bash
# Transformer benchmark (issue 14: `tiktok-harness transform` on >= 20,000 events, next to CPython baselines
# measured in the same run). Usage: Benchmarks/transformer/run.sh [EVENTS] [ITERATIONS] [ROUNDS]
#
# The events are the upstream vectors' processor inputs, cycled with distinct messageId/jobId. Each round runs, back
# to back on the same file, so that all see the same machine load:
#   - CPython json.loads + json.dumps of each event's text in turn (the per-event baseline) and of the whole file;
#   - `tiktok-harness transform FILE > /dev/null`, whole processes (release build of this tree), ITERATIONS times;
#     with COMPARE="LABEL=BINARY ...", other tiktok-harness binaries too (e.g. older commits' builds), the order of
#     the binaries rotating from round to round;
#   - `harness-bench processor FILE --workers 1` (parse, transform and write on one thread, in-process).
# Throughput is given per wall second and per CPU second (user + system); each figure is the median over rounds of
# the median over iterations, and every Swift row is divided by both baselines.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
iterations=${2:-5}
rounds=${3:-3}
vectors=../shared/conformance/upstream
[ -f "$vectors/processor.json" ] || { echo "needs $vectors (the upstream vectors)" >&2; exit 2; }
swift build -c release --product harness-bench >&2
swift build -c release --product tiktok-harness >&2
bin=$(swift build -c release --show-bin-path)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 Benchmarks/transformer/make_events.py "$vectors" "$events" "$scratch/events.json" >&2
binaries=("this=$bin/tiktok-harness")
for pair in ${COMPARE:-}; do binaries+=("$pair"); done
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo ' (modified)'), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start" >&2
for round in $(seq "$rounds"); do
  tag() { sed "s/^{/{\"round\":$round,/"; }
  python3 Benchmarks/transformer/baseline.py "$scratch/events.json" "$iterations" --per-event | tail -1 | tag
  python3 Benchmarks/transformer/baseline.py "$scratch/events.json" "$iterations" | tail -1 | tag
  n=${#binaries[@]}
  for k in $(seq 0 $((n - 1))); do
    pair=${binaries[$(((k + round - 1) % n))]}
    python3 Benchmarks/transformer/time_cli.py "${pair%%=*}" "${pair#*=}" "$scratch/events.json" "$events" "$iterations" \
      | tail -1 | tag
  done
  "$bin/harness-bench" processor "$scratch/events.json" --iterations "$iterations" --workers 1 | tail -1 | tag
done | tee "$scratch/results.jsonl"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
python3 - "$scratch/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(sel, key):
    return statistics.median(r[key] for r in sel)
def line(label, sel, baselines):
    w, c = med(sel, "median_events_per_s"), med(sel, "median_events_per_cpu_s")
    rss = max(r["peak_rss_kib"] for r in sel) / 1024
    ratios = "".join(f"  {w / bw:5.2f}x / {c / bc:5.2f}x" for bw, bc in baselines)
    print(f"{label:<34} {w:>9,.0f} {c:>11,.0f} {rss:>9,.0f}{ratios}")
per_event = [r for r in rows if r["summary"] == "cpython-per-event"]
whole = [r for r in rows if r["summary"] == "cpython"]
baselines = [(med(s, "median_events_per_s"), med(s, "median_events_per_cpu_s")) for s in (per_event, whole)]
print(f"{'':<34} {'events/s':>9} {'events/CPU-s':>11} {'peak MiB':>9}  {'vs per-event (wall/CPU)':>18}"
      f"  {'vs whole file':>16}")
line("cpython per event loads+dumps", per_event, baselines)
line("cpython whole file loads+dumps", whole, baselines)
labels = list(dict.fromkeys(r["label"] for r in rows if r["summary"] == "cli"))
for label in labels:
    sel = [r for r in rows if r["summary"] == "cli" and r["label"] == label]
    digests = {r["output_sha256"] for r in sel}
    line(f"transform ({label})", sel, baselines)
    if len(digests) != 1:
        print(f"  note: {label}'s output differed between rounds")
line("harness-bench, 1 thread (this)", [r for r in rows if r["summary"] == "swift"], baselines)
shas = {label: next(r["output_sha256"] for r in rows if r.get("label") == label) for label in labels}
print("response SHA-256: " + ", ".join(f"{label} {sha[:16]}" for label, sha in shas.items()))
PY
