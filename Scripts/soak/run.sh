#!/usr/bin/env bash
# Runs the robustness scripts against a release build of the mock and keeps their JSON summaries:
#   Scripts/soak/run.sh [REQUESTS=1000000]
# 1. soak.py soak: REQUESTS requests, faults mixed in, journal checked line by line, RSS sampled
# 2. soak.py kill: SIGKILL mid-traffic at 3 s, 10 s and 25 s; every fully answered request must be in the journal
# 3. quiet_kill.py: one request at a time, SIGKILL the moment its outcome is seen: its line must be on disk
# 4. hostile.py: idle, slow, churning and pipelining clients while a probe measures latency
# Results: .build-soak/{soak,kill-*,hostile}.json (the journals are deleted after checking; they are ~0.7 GB).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/.build-soak"
REQUESTS="${1:-1000000}"
mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && nice swift build --scratch-path .build-robust-rel -c release --product tiktok-harness) || exit 1
  BIN="$ROOT/.build-robust-rel/release/tiktok-harness"
fi
status=0
python3 "$ROOT/Scripts/soak/soak.py" soak "$BIN" --requests "$REQUESTS" --dir "$OUT/soak" > "$OUT/soak.json" || status=1
rm -f "$OUT/soak/journal.jsonl"
for s in 3 10 25; do
  python3 "$ROOT/Scripts/soak/soak.py" kill "$BIN" --seconds "$s" --dir "$OUT/kill-$s" > "$OUT/kill-$s.json" || status=1
  rm -f "$OUT/kill-$s/journal.jsonl"
done
python3 "$ROOT/Scripts/soak/quiet_kill.py" "$BIN" --rounds 5 > "$OUT/quiet-kill.json" || status=1
python3 "$ROOT/Scripts/soak/hostile.py" "$BIN" > "$OUT/hostile.json" || status=1
for f in soak kill-3 kill-10 kill-25 quiet-kill hostile; do echo "== $f"; cat "$OUT/$f.json"; done
exit $status
