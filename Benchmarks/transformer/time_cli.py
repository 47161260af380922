#!/usr/bin/env python3
"""Times whole `tiktok-harness transform FILE` processes: what a user waits for (start-up, reading, transforming,
writing the response), the response going to /dev/null.

Usage: time_cli.py LABEL BINARY FILE EVENTS [RUNS]
Prints one JSON line per run and a summary: events/s of wall time and per CPU second (user + system of the child),
peak RSS (the child's ru_maxrss), and the response's SHA-256 of a first, untimed run (so that runs of different
binaries can be checked for the same output). This script keeps little in memory: a forked child's peak RSS counts
its parent's pages until it execs.
"""
import argparse
import hashlib
import json
import os
import subprocess
import time

_ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ap.add_argument("label", help="the name printed in the results (e.g. a commit)")
_ap.add_argument("binary", help="a tiktok-harness binary")
_ap.add_argument("file", help="a processor request file")
_ap.add_argument("events", type=int, help="the number of events in FILE")
_ap.add_argument("runs", nargs="?", type=int, default=3, help="processes to time (default 3)")
_args = _ap.parse_args()

events = _args.events
sha = hashlib.sha256()
with subprocess.Popen([_args.binary, "transform", _args.file], stdout=subprocess.PIPE) as first:
    for block in iter(lambda: first.stdout.read(1 << 20), b""):
        sha.update(block)
if first.returncode != 0:
    raise SystemExit(f"{_args.binary} transform {_args.file}: exit status {first.returncode}")
digest = sha.hexdigest()
rates, cpu_rates, peaks = [], [], []
for run in range(_args.runs):
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        child = subprocess.Popen([_args.binary, "transform", _args.file], stdout=null)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{_args.binary} transform {_args.file}: exit status {status}")
    cpu = usage.ru_utime + usage.ru_stime
    rates.append(events / wall)
    cpu_rates.append(events / cpu)
    peaks.append(usage.ru_maxrss)
    print(json.dumps({"label": _args.label, "run": run + 1, "events": events, "wall_s": round(wall, 4),
                      "cpu_s": round(cpu, 4), "peak_rss_kib": usage.ru_maxrss}))
rates.sort()
cpu_rates.sort()
print(json.dumps({"summary": "cli", "label": _args.label, "median_events_per_s": int(rates[len(rates) // 2]),
                  "median_events_per_cpu_s": int(cpu_rates[len(cpu_rates) // 2]), "peak_rss_kib": max(peaks),
                  "output_sha256": digest}))
