#!/usr/bin/env bash
# compare's personal-data mask (see BENCHMARKS.md, "Compare"): what it costs when every event passes and when every
# event fails, each beside --show-personal-data (no mask) in the same run. Release build.
#   Benchmarks/compare/run.sh [PASSING_EVENTS=50000] [FAILING_EVENTS=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
passing=${1:-50000}
failing=${2:-2000}
swift build -c release --product tiktok-harness 2>&1 | tail -1 >&2
bin=$(swift build -c release --show-bin-path)/tiktok-harness
scratch=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
python3 Benchmarks/compare/dropping_transformer.py "$port" & standin=$!
trap 'kill $standin 2>/dev/null; rm -rf "$scratch"' EXIT
python3 Benchmarks/dedupe/make_events.py "$passing" "$scratch/pass.ndjson"
head -n "$failing" "$scratch/pass.ndjson" > "$scratch/fail.ndjson"
echo '{"accessToken":"tok","pixelCode":"PIX","version":"v2","hashUserProperties":false,"sendCustomEvents":true}' \
  > "$scratch/dest.json"
sleep 1
echo "commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
timed() {  # label args...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KiB peak" "$bin" compare "$@" > /dev/null 2> "$scratch/err" || true
  grep "$label:" "$scratch/err"
}
for extra in "" "--show-personal-data"; do
  timed "$passing passing events ${extra:-(masked)}" "$scratch/pass.ndjson" --config "$scratch/dest.json" \
    --transformer builtin $extra
  timed "$failing failing events ${extra:-(masked)}" "$scratch/fail.ndjson" --config "$scratch/dest.json" \
    --transformer "http://127.0.0.1:$port" --concurrency 1 $extra
done
