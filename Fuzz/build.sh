#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Fuzz*.swift) over the module sources with the toolchain's swiftc:
#   -sanitize=fuzzer,address (ASan links on Linux with Swift 6.3.1; set FUZZ_SANITIZERS=fuzzer to drop it).
# The fuzz targets are not SwiftPM products; each module is every .swift file under Sources/NAME, subfolders included.
# Usage: Fuzz/build.sh [json|http|transformer|mock ...] (default: all).
# Output: .build-fuzz/bin/fuzz-{json,http,transformer,mock}.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${FUZZ_BUILD:-$ROOT/.build-fuzz}"
SAN="${FUZZ_SANITIZERS:-fuzzer,address}"
mkdir -p "$OUT/lib" "$OUT/bin"
FLAGS=(-sanitize="$SAN" -parse-as-library -O -g -swift-version 6
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
  -I "$OUT/lib" -L "$OUT/lib")

declare -A BUILT=()  # each module once, however many targets import it
module() {  # module NAME [libs it imports...]
  local name="$1"; shift
  [ -n "${BUILT[$name]:-}" ] && return 0
  BUILT[$name]=1
  local deps=()
  for d in "$@"; do deps+=(-l"$d"); done
  swiftc "${FLAGS[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$OUT/lib/$name.swiftmodule" \
    -emit-library -static -o "$OUT/lib/lib$name.a" $(find "$ROOT/Sources/$name" -name '*.swift' | sort) \
    2> >(grep -v "ld.gold: warning" >&2)
}

target() {  # target NAME SOURCE libs...
  local name="$1" source="$2"; shift 2
  local libs=()
  for l in "$@"; do libs+=(-l"$l"); done
  swiftc "${FLAGS[@]}" "$source" "${libs[@]}" -lm -o "$OUT/bin/$name" 2>&1 | { grep -v "ld.gold: warning" || true; }
}

echo "swiftc $(swiftc --version 2>&1 | head -1)" >&2
WANT=("$@")
[ ${#WANT[@]} -eq 0 ] && WANT=(json http transformer mock)
for t in "${WANT[@]}"; do
  case "$t" in
    json) module JSON; target fuzz-json "$ROOT/Fuzz/FuzzJSON.swift" JSON ;;
    http) module HTTP; target fuzz-http "$ROOT/Fuzz/FuzzHTTP.swift" HTTP ;;
    mock) module JSON; module HTTP; module MockTikTok; target fuzz-mock "$ROOT/Fuzz/FuzzMock.swift" MockTikTok HTTP JSON ;;
    transformer)
      module JSON; module SHA256; module TikTokAds
      target fuzz-transformer "$ROOT/Fuzz/FuzzTransformer.swift" TikTokAds SHA256 JSON ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
ls -1 "$OUT/bin"
