#!/usr/bin/env python3
"""Baselines for the transformer benchmark: CPython json.loads + json.dumps of the same processor request file.

Usage: baseline.py FILE [ITERATIONS] [--per-event]
Whole file (default): reads the file each iteration (like the Swift side), parses it, serialises it back compactly.
--per-event: the events one by one, as a transformer sees them: the file is split into its events' JSON texts once
(not timed), then each iteration times json.loads + json.dumps of every event text in turn.
Prints JSON lines and a summary with the median events/s (wall) and events per CPU second.
"""
import argparse
import json
import resource
import sys
import time

_ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ap.add_argument("file", help="a processor request file")
_ap.add_argument("iterations", nargs="?", type=int, default=5, help="rounds (default 5)")
_ap.add_argument("--per-event", action="store_true", help="json.loads + json.dumps of each event's text in turn")
_args = _ap.parse_args()
path = _args.file
iterations = _args.iterations
rates = []
cpu_rates = []


def dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def whole_file(i):
    c0 = time.process_time()
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        text = f.read()
    t1 = time.perf_counter()
    value = json.loads(text)
    t2 = time.perf_counter()
    dumps(value)
    t3 = time.perf_counter()
    cpu = time.process_time() - c0
    events = len(value)
    return events, t3 - t0, cpu, {"read_s": t1 - t0, "loads_s": t2 - t1, "dumps_s": t3 - t2}


texts = None
if _args.per_event:
    with open(path, "rb") as f:
        texts = [dumps(event) for event in json.loads(f.read())]


def per_event(i):
    c0 = time.process_time()
    t0 = time.perf_counter()
    for text in texts:
        dumps(json.loads(text))
    wall = time.perf_counter() - t0
    return len(texts), wall, time.process_time() - c0, {}


for i in range(iterations):
    events, wall, cpu, phases = (per_event if _args.per_event else whole_file)(i)
    rates.append(events / wall)
    cpu_rates.append(events / cpu)
    print(json.dumps({"iteration": i + 1, "events": events, "wall_s": wall, "cpu_s": cpu, **phases,
                      "events_per_s": int(events / wall), "events_per_cpu_s": int(events / cpu)}))
rates.sort()
cpu_rates.sort()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"summary": "cpython-per-event" if _args.per_event else "cpython", "python": sys.version.split()[0],
                  "median_events_per_s": int(rates[len(rates) // 2]),
                  "median_events_per_cpu_s": int(cpu_rates[len(cpu_rates) // 2]), "peak_rss_kib": peak}))
