#!/usr/bin/env bash
# Benchmarks/mock-server/run.sh: the load method of ../shared/load/README.md against `tiktok-harness serve`.
#
# Copies ../shared/load to a scratch folder (it is read-only and bench.sh writes results/ beside itself), builds the
# release binary with its own scratch path (unless --skip-swift), then runs, in the same sitting:
#   1. nginx `return 200` (the baseline; needs `apt-get install -y nginx-light wrk`)
#   2. with --with-aiohttp: the aiohttp mock of ../shared/load (aiohttp_mock.py, journal on), the baseline for the
#      issue target "at least 5x the aiohttp mock"; aiohttp (3.14.5, as in the README) comes from PyPI into a venv
#      in the scratch folder ($SCRATCH/venv, created on first use and reused)
#   3. the Swift mock with the journal on (one JSON line per request, written before the response)
# and prints the summary rows and the journal checks. Journals are deleted afterwards (~1.9 KB per request).
# Usage:
#   Benchmarks/mock-server/run.sh [--skip-nginx] [--with-aiohttp] [--skip-swift] [--threads N] [--swift-journal-dir DIR]
# --swift-journal-dir puts the Swift mock's journal in DIR instead of the scratch folder's journals/ (e.g. /dev/shm,
# to see what the file system's write stalls cost; BENCHMARKS.md).
# Environment: LOAD_DIR (default ../shared/load), SCRATCH (default .build-mock-bench), BIN (skip the build),
# AIOHTTP_VERSION (default 3.14.5), PYTHON (interpreter for a new venv, default python3; the venv is reused as is,
# so delete $SCRATCH/venv to switch; the interpreter's build matters: an unoptimised pyenv build is slower than
# Debian's /usr/bin/python3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_DIR=${LOAD_DIR:-$ROOT/../shared/load}
SCRATCH=${SCRATCH:-$ROOT/.build-mock-bench}
AIOHTTP_VERSION=${AIOHTTP_VERSION:-3.14.5}
PYTHON=${PYTHON:-python3}
SKIP_NGINX=0
WITH_AIOHTTP=0
SKIP_SWIFT=0
THREADS=2
SWIFT_JOURNAL_DIR=
while [ $# -gt 0 ]; do
  case $1 in
    --skip-nginx) SKIP_NGINX=1 ;;
    --with-aiohttp) WITH_AIOHTTP=1 ;;
    --skip-swift) SKIP_SWIFT=1 ;;
    --threads) THREADS=$2; shift ;;
    --swift-journal-dir) SWIFT_JOURNAL_DIR=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install -y wrk nginx-light)" >&2; exit 2; }

if [ $SKIP_SWIFT = 0 ] && [ -z "${BIN:-}" ]; then
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

if [ $WITH_AIOHTTP = 1 ]; then   # set up before any run, so pip does not disturb the measurements
  [ -x venv/bin/python ] || "$PYTHON" -m venv venv
  if ! venv/bin/python -c 'import aiohttp' 2>/dev/null; then
    venv/bin/python -m pip install -q "aiohttp==$AIOHTTP_VERSION" || {
      echo "aiohttp==$AIOHTTP_VERSION not installable; installing the latest aiohttp instead" >&2
      venv/bin/python -m pip install -q aiohttp; }
  fi
  venv/bin/python -c 'import aiohttp, sys; print("aiohttp", aiohttp.__version__, "on Python", sys.version.split()[0],
    "(" + sys.base_prefix + ") in", sys.prefix)'
fi

names=""
if [ $SKIP_NGINX = 0 ]; then
  ./bench.sh nginx 8081 - nginx -p "$SCRATCH/nginx" -c nginx.conf -g 'daemon off;'
  names="$names nginx"
fi
if [ $WITH_AIOHTTP = 1 ]; then
  ./bench.sh aiohttp 8083 journals/aiohttp.jsonl "$SCRATCH/venv/bin/python" aiohttp_mock.py 8083 journals/aiohttp.jsonl
  names="$names aiohttp"
fi
if [ $SKIP_SWIFT = 0 ]; then
  SWIFT_JOURNAL=${SWIFT_JOURNAL_DIR:-journals}/swift.jsonl
  ./bench.sh swift 8090 "$SWIFT_JOURNAL" "$BIN" serve --port 8090 --threads "$THREADS" --journal "$SWIFT_JOURNAL"
  names="$names swift"
fi
echo
# summarize.py needs 3 CLEAN runs per server; on a busy machine print every run instead.
if [ -n "$names" ]; then
  python3 summarize.py $names || grep -H '^run' $(for n in $names; do echo results/$n/info.txt; done)
fi
# A journal that fails its check fails the run (exit 1), after every journal has been checked and deleted.
journal_failed=""
for n in aiohttp swift; do
  case " $names " in *" $n "*)
    journal=journals/$n.jsonl
    [ $n = swift ] && journal=$SWIFT_JOURNAL
    # check_journal.py (../shared/load) prints `FILE: lines=N bad=B unique_request_ids=U` and always exits 0, so the
    # verdict is read from its line: at least one line, none bad, every request id unique.
    verdict=$(python3 check_journal.py "$journal" 2>&1) || true
    echo "$verdict"
    echo "$verdict" | grep -Eq 'lines=([1-9][0-9]*) bad=0 unique_request_ids=\1$' || journal_failed="$journal_failed $n"
    rm -f "$journal" ;;
  esac
done
if [ -n "$journal_failed" ]; then
  echo "journal check FAILED for:$journal_failed" >&2
  exit 1
fi
