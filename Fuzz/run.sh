#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time, two at a time, niced, then prints a summary.
#   Fuzz/run.sh [SECONDS_PER_TARGET=600] [PARALLEL=2] [TARGET...]      (targets: json http transformer mock)
# Findings go to .build-fuzz/findings/<target>/ (crash-*, timeout-*, oom-*); a finding that is fixed should be
# copied to Tests/RobustnessTests/Fixtures/fuzz-<target>/ so `swift test` replays it.
# Set FUZZ_SKIP_BUILD=1 to reuse the binaries; FUZZ_SANITIZERS=fuzzer to build without ASan.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${FUZZ_BUILD:-$ROOT/.build-fuzz}"
SECONDS_PER="${1:-600}"
PARALLEL="${2:-2}"
shift 2 2>/dev/null || shift $#
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(json http transformer mock)
[ "${FUZZ_SKIP_BUILD:-0}" = 1 ] || nice "$ROOT/Fuzz/build.sh" "${TARGETS[@]}" >/dev/null || exit 1
rm -rf "$OUT/seeds" && python3 "$ROOT/Fuzz/make_seeds.py" "$OUT/seeds" || { echo "Fuzz/run.sh: the seeds could not be written" >&2; exit 1; }
export SWIFT_BACKTRACE=enable=no   # the Swift backtracer trips ASan after a fatalError; libFuzzer prints the stack
declare -A MAXLEN=([json]=65536 [http]=16384 [transformer]=32768 [mock]=32768)

run_one() {
  local t="$1"
  mkdir -p "$OUT/corpus/$t" "$OUT/findings/$t" "$OUT/logs"
  local dict=()
  [ -f "$ROOT/Fuzz/$t.dict" ] && dict=(-dict="$ROOT/Fuzz/$t.dict")
  [ "$t" = mock ] && dict=(-dict="$ROOT/Fuzz/json.dict")
  # fuzz-mock: the mock's schema tables are static lets initialised once (~2.5 KB, 29 boxes); LeakSanitizer's
  # at-exit check reports them as leaks although they live as long as the process, so leak checks are off there.
  local asan="${ASAN_OPTIONS:-}"
  [ "$t" = mock ] && asan="detect_leaks=0${asan:+:$asan}"
  ASAN_OPTIONS="$asan" nice -n 10 "$OUT/bin/fuzz-$t" "$OUT/corpus/$t" "$OUT/seeds/$t" "${dict[@]}" \
    -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=2048 -max_len="${MAXLEN[$t]}" \
    -artifact_prefix="$OUT/findings/$t/" -print_final_stats=1 >"$OUT/logs/$t.log" 2>&1
  echo $? >"$OUT/logs/$t.rc"
}

running=0
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '%-12s %8s %14s %10s %9s %8s %s\n' target seconds inputs_tried exec/s peak_rss findings exit
status=0
for t in "${TARGETS[@]}"; do
  log="$OUT/logs/$t.log"
  runs=$(awk '/^stat::number_of_executed_units:/{print $2}' "$log")
  speed=$(awk '/^stat::average_exec_per_sec:/{print $2}' "$log")
  rss=$(awk '/^stat::peak_rss_mb:/{print $2}' "$log")
  time=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}')
  findings=$(find "$OUT/findings/$t" -type f | wc -l)
  rc=$(cat "$OUT/logs/$t.rc")
  printf '%-12s %8s %14s %10s %7sMB %8s %s\n' "$t" "${time:-?}" "${runs:-?}" "${speed:-?}" "${rss:-?}" "$findings" "$rc"
  [ "$findings" -eq 0 ] && [ "$rc" = 0 ] || status=1
done
exit $status
