#!/usr/bin/env bash
# Benchmarks/mock-server/run.sh: the load method of ../shared/load/README.md against `tiktok-harness serve`.
#
# Copies ../shared/load to a scratch folder (it is read-only and bench.sh writes results/ beside itself), builds the
# release binary with its own scratch path, then runs, in the same sitting:
#   1. nginx `return 200` (the baseline; needs `apt-get install -y nginx-light wrk`)
#   2. the Swift mock with the journal on (one JSON line per request, written before the response)
# and prints the summary rows and the journal check. Usage:
#   Benchmarks/mock-server/run.sh [--skip-nginx] [--threads N]
# Environment: LOAD_DIR (default ../shared/load), SCRATCH (default .build-mock-bench), BIN (skip the build).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_DIR=${LOAD_DIR:-$ROOT/../shared/load}
SCRATCH=${SCRATCH:-$ROOT/.build-mock-bench}
SKIP_NGINX=0
THREADS=2
while [ $# -gt 0 ]; do
  case $1 in
    --skip-nginx) SKIP_NGINX=1 ;;
    --threads) THREADS=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install -y wrk nginx-light)" >&2; exit 2; }

if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-mock-rel --product tiktok-harness)
  BIN=$ROOT/.build-mock-rel/release/tiktok-harness
fi

mkdir -p "$SCRATCH"
cp -r "$LOAD_DIR"/. "$SCRATCH"/
chmod +x "$SCRATCH"/bench.sh
cd "$SCRATCH"
sed -n '/^wrk.body = \[\[$/{n;p;}' post_event.lua | sed 's/]]$//' | tr -d '\n' > body.json
mkdir -p journals nginx/logs nginx/scratch
sed "s#NGINX_PREFIX#$SCRATCH/nginx#g" nginx.conf > nginx/nginx.conf

if [ $SKIP_NGINX = 0 ]; then
  ./bench.sh nginx 8081 - nginx -p "$SCRATCH/nginx" -c nginx.conf -g 'daemon off;'
fi
./bench.sh swift 8090 journals/swift.jsonl "$BIN" serve --port 8090 --threads "$THREADS" --journal journals/swift.jsonl
echo
# summarize.py needs 3 CLEAN runs per server; on a busy machine print every run instead.
if [ $SKIP_NGINX = 0 ]; then names="nginx swift"; else names="swift"; fi
python3 summarize.py $names || grep -H '^run' $(for n in $names; do echo results/$n/info.txt; done)
python3 check_journal.py journals/swift.jsonl || true
rm -f journals/swift.jsonl
