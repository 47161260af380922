#!/usr/bin/env python3
"""Writes a processor request body of N events made from the upstream vectors' processor messages.

Usage: make_events.py VECTORS_DIR N OUT_FILE
Each event is one of the vectors' processor inputs (cycled), with a distinct messageId and jobId so that no two
events are byte-identical. Only successful-looking inputs are not preferred: errors are kept, as real traffic has some.
"""
import argparse
import json

_ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ap.add_argument("vectors_dir", help="the folder holding processor.json")
_ap.add_argument("n", type=int, help="the number of events")
_ap.add_argument("out", help="the file to write")
_args = _ap.parse_args()
vectors_dir, n, out = _args.vectors_dir, _args.n, _args.out
with open(f"{vectors_dir}/processor.json") as f:
    cases = json.load(f)
items = [item for case in cases for item in case["input"]]
events = []
for i in range(n):
    item = json.loads(json.dumps(items[i % len(items)]))
    msg = item.get("message")
    if isinstance(msg, dict):
        msg["messageId"] = f"bench-{i}"
    meta = item.get("metadata")
    if isinstance(meta, dict):
        meta["jobId"] = i + 1
    events.append(item)
with open(out, "w") as f:
    json.dump(events, f, separators=(",", ":"), ensure_ascii=False)
print(f"{n} events, {sum(1 for _ in events)} items, from {len(items)} distinct vector inputs -> {out}")
