#!/usr/bin/env bash
# record --dedupe on a large generated capture: wall time, CPU time and peak memory (release build).
# Usage: Benchmarks/dedupe/run.sh [EVENTS] [DEDUPE_BY]   (default 1000000 pairs)
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
by=${2:-pairs}
swift build -c release --product tiktok-harness >&2
bin=$(swift build -c release --show-bin-path)/tiktok-harness
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 Benchmarks/dedupe/make_events.py "$events" "$scratch/events.ndjson"
echo '{"accessToken":"tok","pixelCode":"PIX","version":"v2","hashUserProperties":true,"sendCustomEvents":true}' \
  > "$scratch/dest.json"
echo "capture: $events events, $(du -m "$scratch/events.ndjson" | cut -f1) MiB; commit $(git rev-parse --short HEAD)" >&2
/usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KiB' \
  "$bin" record "$scratch/events.ndjson" --config "$scratch/dest.json" --golden "$scratch/Golden" --suite bench \
  --name ev --dedupe --dedupe-by "$by" --redact 2> >(grep -v 'not writing' >&2) \
  || [ $? -eq 2 ]  # exit 2: some kept events were refused (counted in the summary line), the rest written
