#!/usr/bin/env bash
# Replay against a live transformer (see BENCHMARKS.md, "Live transformer").
#
#   Benchmarks/live/run.sh [CASES] [ROUNDS]        # defaults 10000 and 5
#   BASE_BIN=/path/to/old/tiktok-harness Benchmarks/live/run.sh   # add the previous binary's replay as a row
#   SWEEP=1 Benchmarks/live/run.sh                  # also --concurrency 1, 2, 4, 8, 16 with batching on and off
#
# Builds the release binary, writes CASES processor cases (one file each, from the upstream processor vectors, each
# event with its own messageId and jobId) and the same events as one processor request body, and starts the
# stand-in (`tiktok-harness serve-transformer`, 2 threads). Each round then runs, back to back against the same
# stand-in: the events as one request (curl), as two half requests at once, replay with the defaults
# (--concurrency 8, batching on), replay --no-batch, replay --concurrency 2 --no-batch, the previous binary's
# replay (BASE_BIN), and replay on the built-in transformer. Wall seconds, the replay's CPU seconds (user+sys) and
# its peak RSS, and the stand-in's CPU seconds (from /proc) are printed per run; the summary gives medians over rounds and each
# replay's ratio to the one-request time of the same round.
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${1:-10000}
rounds=${2:-5}
vectors=../shared/conformance/upstream
[ -f "$vectors/processor.json" ] || { echo "needs $vectors (the upstream vectors)" >&2; exit 2; }
swift build -c release --product tiktok-harness 2>&1 | tail -1 >&2
bin=$(swift build -c release --show-bin-path)/tiktok-harness
scratch=$(mktemp -d /tmp/live-bench.XXXXXX)
standin=""
cleanup() { [ -n "$standin" ] && kill "$standin" 2>/dev/null; wait 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
python3 Benchmarks/live/make_cases.py "$vectors" "$cases" "$scratch" "$bin"

"$bin" serve-transformer --port 0 --threads 2 >"$scratch/standin.out" 2>&1 &
standin=$!
until grep -q '^listening on' "$scratch/standin.out" 2>/dev/null; do sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$scratch/standin.out")
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$standin/stat"; }

# One measurement: label, then the command; prints a JSON line.
measure() {
  local label=$1 before after start end status
  shift
  before=$(cpu)
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S %M' -o "$scratch/time" "$@" >"$scratch/out" 2>"$scratch/err" && status=0 || status=$?
  end=$(date +%s.%N)
  after=$(cpu)
  printf '{"round":%d,"run":"%s","wall":%.3f,"cpu":%.2f,"rss_mib":%.1f,"standin_cpu":%.2f,"status":%d,"last":"%s"}\n' \
    "$round" "$label" "$(echo "$end - $start" | bc)" "$(awk '{print $1 + $2}' "$scratch/time")" \
    "$(awk '{print $3 / 1024}' "$scratch/time")" \
    "$(echo "$after - $before" | bc)" "$status" "$(tail -1 "$scratch/out" | tr -d '"')"
  grep -h 'requests on up to' "$scratch/err" >&2 || true
}
cat >"$scratch/post" <<SH
#!/usr/bin/env bash
# POSTs each file given to the processor route at once and prints each answer's HTTP status.
for f in "\$@"; do curl -sS -o /dev/null -w '%{http_code}\\n' --data-binary "@\$f" "$url/v0/destinations/tiktok_ads" & done
wait
SH
chmod +x "$scratch/post"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" >&2
for round in $(seq "$rounds"); do
  measure "one request" "$scratch/post" "$scratch/events.json"
  measure "two half requests at once" "$scratch/post" "$scratch/events-half1.json" "$scratch/events-half2.json"
  measure "replay (defaults: --concurrency 8, batching)" "$bin" replay "$scratch/cases" --transformer "$url" --quiet
  measure "replay --no-batch" "$bin" replay "$scratch/cases" --transformer "$url" --quiet --no-batch
  measure "replay --concurrency 2 --no-batch" "$bin" replay "$scratch/cases" --transformer "$url" --quiet --concurrency 2 --no-batch
  if [ -n "${BASE_BIN:-}" ]; then
    measure "previous binary: replay (one request a case)" "$BASE_BIN" replay "$scratch/cases" --transformer "$url" --quiet
  fi
  measure "replay on builtin" "$bin" replay "$scratch/cases" --quiet
  if [ -n "${SWEEP:-}" ]; then
    for n in 1 2 4 8 16; do
      measure "sweep: --concurrency $n" "$bin" replay "$scratch/cases" --transformer "$url" --quiet --concurrency "$n"
      measure "sweep: --concurrency $n --no-batch" "$bin" replay "$scratch/cases" --transformer "$url" --quiet --concurrency "$n" --no-batch
    done
  fi
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done | tee "$scratch/results.jsonl"
python3 - "$scratch/results.jsonl" "$cases" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
one = {r["round"]: r["wall"] for r in rows if r["run"] == "one request"}
labels = list(dict.fromkeys(r["run"] for r in rows))
print(f"\n| run | wall s (median) | events/s | client CPU s | client peak RSS MiB | stand-in CPU s | ÷ one request (median of rounds) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label in labels:
    sel = [r for r in rows if r["run"] == label]
    bad = [r for r in sel if r["status"] != 0]
    wall = statistics.median(r["wall"] for r in sel)
    ratio = statistics.median(r["wall"] / one[r["round"]] for r in sel)
    note = f" ({len(bad)} runs failed: {bad[0]['last']})" if bad else ""
    print(f"| {label}{note} | {wall:.2f} | {n / wall:,.0f} | {statistics.median(r['cpu'] for r in sel):.2f} | "
          f"{max(r['rss_mib'] for r in sel):.0f} | {statistics.median(r['standin_cpu'] for r in sel):.2f} | "
          f"{ratio:.2f}× |")
print("\nper round, replay with the defaults ÷ one request: " + ", ".join(
    f"{r['wall'] / one[r['round']]:.2f}" for r in rows if r["run"].startswith("replay (defaults")))
PY
