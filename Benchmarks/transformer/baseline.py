#!/usr/bin/env python3
"""Baseline for the transformer benchmark: CPython json.loads + json.dumps of the same processor request file.

Usage: baseline.py FILE [ITERATIONS]
Reads the file each iteration (like the Swift side), parses it, serialises it back compactly; prints JSON lines and a
summary with the median events/s.
"""
import argparse
import json
import resource
import sys
import time

_ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ap.add_argument("file", help="a processor request file")
_ap.add_argument("iterations", nargs="?", type=int, default=5, help="rounds (default 5)")
_args = _ap.parse_args()
path = _args.file
iterations = _args.iterations
rates = []
cpu_rates = []
for i in range(iterations):
    c0 = time.process_time()
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        text = f.read()
    t1 = time.perf_counter()
    value = json.loads(text)
    t2 = time.perf_counter()
    out = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    t3 = time.perf_counter()
    cpu = time.process_time() - c0
    events = len(value)
    rates.append(events / (t3 - t0))
    cpu_rates.append(events / cpu)
    print(json.dumps({"iteration": i + 1, "events": events, "read_s": t1 - t0, "loads_s": t2 - t1,
                      "dumps_s": t3 - t2, "events_per_s": int(events / (t3 - t0)),
                      "events_per_cpu_s": int(events / cpu)}))
rates.sort()
cpu_rates.sort()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"summary": "cpython", "python": sys.version.split()[0],
                  "median_events_per_s": int(rates[len(rates) // 2]),
                  "median_events_per_cpu_s": int(cpu_rates[len(cpu_rates) // 2]), "peak_rss_kib": peak}))
