#!/usr/bin/env python3
"""Writes N processor golden cases, one file each, and the same events as one processor request body.

Usage: make_cases.py VECTORS_DIR N OUT_DIR HARNESS

Each case is one of the upstream vectors' processor input items (cycled) with its own messageId and jobId (as
rudder-server's jobs have), in OUT_DIR/cases/shardNNN/NNNNNN.json (1,000 a folder). The events together are
OUT_DIR/events.json (and its two halves, events-half1.json and events-half2.json); HARNESS (`tiktok-harness`) transforms that body once and each case's `expected` is its items of
the answer, found by jobId (every event's jobId is distinct).
"""
import json
import os
import subprocess
import sys

vectors_dir, n, out, harness = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(f"{vectors_dir}/processor.json") as f:
    vectors = json.load(f)
items = [item for case in vectors for item in case["input"]]
events = []
for i in range(n):
    item = json.loads(json.dumps(items[i % len(items)]))
    if isinstance(item.get("message"), dict):
        item["message"]["messageId"] = f"live-bench-{i}"
    item["metadata"]["jobId"] = i + 1
    events.append(item)
body = json.dumps(events, separators=(",", ":"), ensure_ascii=False).encode()
with open(f"{out}/events.json", "wb") as f:
    f.write(body)
half = n // 2
for name, part in (("events-half1.json", events[:half]), ("events-half2.json", events[half:])):
    with open(f"{out}/{name}", "wb") as f:
        f.write(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
answer = json.loads(subprocess.run([harness, "transform", "-"], input=body, capture_output=True, check=True).stdout)
by_job = {}
for item in answer:
    by_job.setdefault(item["metadata"]["jobId"], []).append(item)
for i, event in enumerate(events):
    folder = f"{out}/cases/shard{i // 1000:03d}"
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    case = {"description": f"live benchmark event {i + 1}", "route": "POST /v0/destinations/tiktok_ads",
            "input": [event], "expected": {"status": 200, "body": by_job.get(i + 1, [])}}
    with open(f"{folder}/{i:06d}.json", "w") as f:
        json.dump(case, f, ensure_ascii=False)
print(f"{n} cases from {len(items)} vector inputs, {len(body) / 1e6:.1f} MB of events, "
      f"{len(answer)} answer items -> {out}", file=sys.stderr)
