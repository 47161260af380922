#!/usr/bin/env bash
# How many tries `minimize` needs for a realistic 10 KB event (see BENCHMARKS.md, "Minimize"): the figure the
# default --max-tries is chosen from.
#
#   Benchmarks/minimize/run.sh [TARGET_BYTES]     # default 10240
#
# Generates the event (make_event.py, deterministic), then for each planted difference of the stand-in
# (Scripts/minimize/stand-in-transformer.py: currency, content-id, user) and each route (processor, router) runs
# `minimize --transformer STAND-IN --against builtin` and prints tries, cache hits, sizes and wall time. Tries do not
# depend on the build (the search is deterministic), so the debug build is used; the time is dominated by the
# stand-in, which starts `tiktok-harness transform` for every request.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${1:-10240}
SCRATCH=$(mktemp -d /tmp/minimize-bench.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$SCRATCH"' EXIT

swift build --product tiktok-harness | tail -1 >&2
BIN=$(swift build --show-bin-path)/tiktok-harness
python3 Benchmarks/minimize/make_event.py "$SCRATCH/event.json" "$TARGET"
echo '{"accessToken":"tok-abc123","pixelCode":"PIXEL_A","version":"v2","hashUserProperties":true}' >"$SCRATCH/dest.json"

echo "machine: $(nproc) cores, $(swift --version 2>&1 | head -1), commit $(git rev-parse --short HEAD)"
echo
echo "| difference | route | tries | cache hits | bytes before → after | leaves before → after | 1-minimal | seconds |"
echo "|---|---|---:|---:|---|---|---|---:|"
for difference in currency content-id user; do
  python3 Scripts/minimize/stand-in-transformer.py "$BIN" --difference "$difference" >"$SCRATCH/$difference.out" &
  PIDS+=($!)
  until grep -q '^listening on' "$SCRATCH/$difference.out" 2>/dev/null; do sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$SCRATCH/$difference.out")
  for route in processor router; do
    flag=()
    [ "$route" = router ] && flag=(--router)
    start=$(date +%s.%N)
    "$BIN" minimize "$SCRATCH/event.json" "${flag[@]}" --config "$SCRATCH/dest.json" --transformer "$url" \
      --against builtin -o "$SCRATCH/$difference-$route.json" 2>"$SCRATCH/report" || true
    secs=$(echo "$(date +%s.%N) - $start" | bc -l)
    tries=$(sed -n 's/^tries: \([0-9]*\) of .*/\1/p' "$SCRATCH/report")
    hits=$(sed -n 's/^tries: .*(\([0-9]*\) more answered.*/\1/p' "$SCRATCH/report")
    bytes=$(sed -n 's/^size: \([0-9]*\) → \([0-9]*\) bytes.*/\1 → \2/p' "$SCRATCH/report")
    leaves=$(sed -n 's/^size: .*, \([0-9]*\) → \([0-9]*\) leaves/\1 → \2/p' "$SCRATCH/report")
    minimal=$(grep -q '^1-minimal: verified' "$SCRATCH/report" && echo verified || echo NO)
    printf '| %s | %s | %s | %s | %s | %s | %s | %.1f |\n' "$difference" "$route" "$tries" "$hits" "$bytes" "$leaves" \
      "$minimal" "$secs"
  done
done
