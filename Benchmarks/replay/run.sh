#!/usr/bin/env bash
# Replay throughput and peak memory (see BENCHMARKS.md, "Replay").
#
#   Benchmarks/replay/run.sh [CASES]      # default 10000; the memory run uses 10 x CASES
#
# Builds the release binary into .build-bench-replay, generates corpora by copying the committed Golden/ cases
# under new names (so the mix of v1/v2/router/error cases is the real one), and times `replay` with
# /usr/bin/time -v. The baseline is one copy of the committed processor/router/error cases (delivery cases start a
# mock server each and are benchmarked with delivery), measured in the same run, so memory growth
# between ~100, CASES and 10 x CASES cases shows whether replay streams. BENCH_SKIP=TEXT leaves out Golden files
# whose path contains TEXT (e.g. a case that currently crashes the transformer).
set -euo pipefail
cd "$(dirname "$0")/../.."
CASES=${1:-10000}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/replay-bench.XXXXXX)}
trap 'rm -rf "$SCRATCH"' EXIT

swift build -c release --scratch-path .build-bench-replay --product tiktok-harness | tail -1 >&2
BIN=$(swift build -c release --scratch-path .build-bench-replay --show-bin-path)/tiktok-harness

python3 - "$SCRATCH" "$CASES" <<'PY'
import os, sys, glob, shutil
out, n = sys.argv[1], int(sys.argv[2])
skip = os.environ.get("BENCH_SKIP", "")
src = sorted(f for f in glob.glob("Golden/**/*.json", recursive=True)
             if not f.startswith("Golden/delivery/") and not (skip and skip in f))
for label, count in (("baseline", len(src)), ("small", n), ("large", 10 * n)):
    for i in range(count):
        d = os.path.join(out, label, f"shard{i // 1000:03d}")
        if i % 1000 == 0: os.makedirs(d, exist_ok=True)
        f = src[i % len(src)]
        shutil.copyfile(f, os.path.join(d, f"{i:06d}-" + os.path.relpath(f, "Golden").replace("/", "_")))
PY

run() {  # label corpus-folder
  /usr/bin/time -v "$BIN" replay --quiet "$SCRATCH/$2" >"$SCRATCH/$2.out" 2>"$SCRATCH/$2.time" || true
  local last secs kb
  last=$(tail -1 "$SCRATCH/$2.out")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); print (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2])}' "$SCRATCH/$2.time")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$SCRATCH/$2.time")
  local cases=$(( $(echo "$last" | awk '{print $1}') + $(echo "$last" | awk '{print $3}') ))
  printf '| %-28s | %7d | %7.2f | %9.0f | %7.1f |\n' "$1" "$cases" "$secs" "$(echo "$cases / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(swift --version 2>&1 | head -1)"
echo
echo "| corpus                       |   cases | seconds |   cases/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
run "baseline: one copy of Golden/" baseline
run "$CASES cases" small
run "$((10 * CASES)) cases (10x)" large
