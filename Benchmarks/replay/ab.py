#!/usr/bin/env python3
"""Replay A/B: `replay --quiet` of the same corpus by several tiktok-harness binaries, alternating, in one sitting.

Usage: Benchmarks/replay/ab.py CASES LABEL=BINARY [LABEL=BINARY ...] [--runs N]
The corpus is CASES copies of Golden/'s processor, router and error cases (delivery cases start a mock server each),
in folders of 1,000, as Benchmarks/replay/run.sh makes it. Prints, per binary, the median wall and CPU (user +
system of the child) seconds and the last line of its report, so that a binary that fails cases is seen.
"""
import argparse, glob, os, resource, shutil, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("cases", type=int)
ap.add_argument("binaries", nargs="+", help="LABEL=BINARY")
ap.add_argument("--runs", type=int, default=7)
args = ap.parse_args()
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
bins = [b.split("=", 1) for b in args.binaries]
with tempfile.TemporaryDirectory() as out:
    src = sorted(f for f in glob.glob(f"{root}/Golden/**/*.json", recursive=True)
                 if not os.path.relpath(f, root).startswith("Golden/delivery/"))
    for i in range(args.cases):
        d = os.path.join(out, f"shard{i // 1000:03d}")
        os.makedirs(d, exist_ok=True)
        f = src[i % len(src)]
        shutil.copyfile(f, os.path.join(d, f"{i:06d}-" + os.path.relpath(f, f"{root}/Golden").replace("/", "_")))
    results = {label: [] for label, _ in bins}
    for r in range(args.runs):
        for label, binary in (bins if r % 2 == 0 else bins[::-1]):
            ru0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            p = subprocess.run([binary, "replay", "--quiet", out], capture_output=True, text=True)
            wall, ru1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime
            last = (p.stdout.strip().splitlines() or ["(no output)"])[-1]
            results[label].append((wall, cpu, p.returncode, last))
print(f"{args.cases} cases from {len(src)} Golden files, {args.runs} alternating runs, load {os.getloadavg()[0]:.2f}")
for label, rows in results.items():
    print(f"{label}: median wall {statistics.median(r[0] for r in rows):.3f} s, median CPU "
          f"{statistics.median(r[1] for r in rows):.3f} s, exit {sorted(set(r[2] for r in rows))}, {rows[-1][3]}")
