#!/usr/bin/env python3
"""Soak and SIGKILL tests for the mock TikTok server (`tiktok-harness serve`), with exact accounting.

  soak.py soak BIN [--requests 1000000] [--workers 2] [--connections 64]
  soak.py kill BIN [--seconds 20] [--workers 2] [--connections 64]

Every request carries a unique `X-Soak-Id`. The client picks each request's kind with a seeded generator: a valid
Events 2.0 body, an invalid JSON body (answered 40002), or a fault named in an `X-Fault` header that the scenario
`faults.json` turns into a delay, a reset, an empty close, a partial body or a malformed JSON answer (plus every
97th request throttled and ~1% HTTP 503 from seeded rules). Connections are dropped and reopened at random
(1 to 400 requests each). Each worker process writes one outcome line per request.

soak: runs REQUESTS requests with the journal on, samples the server's VmRSS every second, then checks the journal:
every line is JSON, `seq` runs 1, 2, 3 ... in file order with no gap, one line per answered request (full answers
and the fault closes the client asked for), no line for anything else, every id once.
kill: runs for SECONDS, then SIGKILLs the server mid-traffic and checks that every request whose answer the client
had fully received is in the journal (lines for requests in flight at the kill are allowed, and counted).
Prints a JSON summary; exits 1 if a check fails.
"""
import argparse, asyncio, json, multiprocessing, os, random, signal, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = "/open_api/v1.3/event/track/"
SERVER_FAULTS = {"reset", "empty", "partial"}  # the server reads the request, journals it, then breaks the connection
KINDS = [("ok", 0.947), ("bad_json", 0.02), ("delay", 0.01), ("reset", 0.005), ("empty", 0.003),
         ("partial", 0.003), ("malformed", 0.012)]


def body(kind, rid):
    if kind == "bad_json":
        return b'{"event_source":"web","event_source_id":"PIX","data":[{"event":"Purchase",'
    return json.dumps({"event_source": "web", "event_source_id": "PIX_SOAK", "data": [
        {"event": "CompletePayment", "event_time": 1732766400, "event_id": "e-%d" % rid,
         "properties": {"currency": "USD", "value": rid % 1000}}]}, separators=(",", ":")).encode()


def request(kind, rid):
    b = body(kind, rid)
    fault = b"X-Fault: %s\r\n" % kind.encode() if kind in ("delay", "reset", "empty", "partial", "malformed") else b""
    return (b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccess-Token: soak-token\r\nContent-Type: application/json\r\n"
            b"X-Soak-Id: %d\r\n%sContent-Length: %d\r\n\r\n" % (PATH.encode(), rid, fault, len(b))) + b


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    close = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        n = name.strip().lower()
        if n == b"content-length":
            length = int(value)
        elif n == b"connection" and b"close" in value.lower():
            close = True
    data = await reader.readexactly(length)
    return status, data, close


async def connection(worker, conn, state, out, stop_at):
    rng = random.Random(worker * 100003 + conn)
    weights = [w for _, w in KINDS]
    names = [k for k, _ in KINDS]
    while state["left"] > 0 and time.time() < stop_at:
        try:
            reader, writer = await asyncio.open_connection(state["host"], state["port"])
        except OSError:
            state["connect_errors"] += 1
            if state["connect_errors"] > 1000 or state["killed"]:
                return
            await asyncio.sleep(0.05)
            continue
        for _ in range(rng.randint(1, 400)):
            if state["left"] <= 0 or time.time() >= stop_at:
                break
            state["left"] -= 1
            rid = worker * 1_000_000_000 + state["next"]
            state["next"] += 1
            kind = rng.choices(names, weights)[0]
            try:
                writer.write(request(kind, rid))
                status, data, close = await read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as e:
                # A fault the client asked for ends the connection after the server journaled the request;
                # any other break (the server was killed) leaves the request's fate unknown.
                outcome = "fault" if kind in SERVER_FAULTS else "broken"
                out.write("%d %s %s -\n" % (rid, kind, outcome))
                break
            if kind in SERVER_FAULTS:
                out.write("%d %s unexpected-answer %d\n" % (rid, kind, status))
            else:
                out.write("%d %s answered %d\n" % (rid, kind, status))
            if close:
                break
        writer.close()


def worker_main(worker, host, port, quota, connections, seconds, path):
    async def run():
        state = {"host": host, "port": port, "left": quota, "next": 0, "connect_errors": 0, "killed": False}
        stop_at = time.time() + seconds
        with open(path, "w", buffering=1 << 20) as out:
            await asyncio.gather(*(connection(worker, c, state, out, stop_at) for c in range(connections)))
    asyncio.run(run())


def rss_kb(pid, field="VmRSS"):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None


def check_journal(journal, outcomes, killed):
    """Returns (summary, problems)."""
    problems = []
    ids = {}
    lines = 0
    expected_seq = 1
    with open(journal, "rb") as f:
        for raw in f:
            lines += 1
            try:
                entry = json.loads(raw)
            except ValueError:
                problems.append("line %d is not JSON: %r" % (lines, raw[:120]))
                continue
            if entry.get("seq") != expected_seq:
                problems.append("line %d has seq %r, expected %d" % (lines, entry.get("seq"), expected_seq))
                expected_seq = entry.get("seq", expected_seq)
            expected_seq += 1
            rid = entry.get("headers", {}).get("X-Soak-Id")
            if rid is None:
                problems.append("line %d has no X-Soak-Id" % lines)
                continue
            if rid in ids:
                problems.append("id %s journaled twice (lines %d and %d)" % (rid, ids[rid], lines))
            ids[rid] = lines
            if len(problems) > 20:
                break
    answered = faults = broken = unexpected = missing = 0
    for rid, (kind, outcome) in outcomes.items():
        if outcome == "answered":
            answered += 1
        elif outcome == "fault":
            faults += 1
        elif outcome == "broken":
            broken += 1
        else:
            unexpected += 1
            problems.append("request %s (%s) got %s" % (rid, kind, outcome))
        must_be_there = outcome == "answered" or (outcome == "fault" and not killed)
        if must_be_there and rid not in ids:
            missing += 1
            if missing <= 10:
                problems.append("answered request %s (%s, %s) is not in the journal" % (rid, kind, outcome))
    extra = [rid for rid in ids if rid not in outcomes or outcomes[rid][1] not in ("answered", "fault")]
    if not killed and extra:
        problems.append("%d journal lines for requests that were not answered, e.g. %s" % (len(extra), extra[:5]))
    if not killed and broken:
        problems.append("%d requests broke without a fault being asked for" % broken)
    return {"journal_lines": lines, "answered": answered, "fault_closes": faults, "broken_unknown": broken,
            "missing_from_journal": missing, "journaled_not_answered": len(extra)}, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["soak", "kill"])
    ap.add_argument("bin")
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dir", default=None)
    a = ap.parse_args()
    work = a.dir or tempfile.mkdtemp(prefix="soak-")
    os.makedirs(work, exist_ok=True)
    journal = os.path.join(work, "journal.jsonl")
    if os.path.exists(journal):
        os.remove(journal)
    server = subprocess.Popen([a.bin, "serve", "--port", "0", "--journal", journal, "--scenario",
                               os.path.join(HERE, "faults.json"), "--threads", str(a.threads)],
                              stdout=subprocess.PIPE, stderr=open(os.path.join(work, "server.err"), "w"))
    first = server.stdout.readline().decode()
    host, port = first.strip().rsplit("/", 1)[-1].split(":")
    port = int(port)
    quota = a.requests // a.workers if a.mode == "soak" else 10**12
    seconds = 10**9 if a.mode == "soak" else a.seconds + 60
    paths = [os.path.join(work, "outcomes-%d.txt" % w) for w in range(a.workers)]
    procs = [multiprocessing.Process(target=worker_main, args=(w + 1, host, port, quota, a.connections, seconds, paths[w]))
             for w in range(a.workers)]
    t0 = time.time()
    for p in procs:
        p.start()
    samples = []
    killed = False
    while any(p.is_alive() for p in procs):
        time.sleep(1)
        r = rss_kb(server.pid)
        if r is not None and not killed:
            samples.append((round(time.time() - t0, 1), r))
        if a.mode == "kill" and not killed and time.time() - t0 >= a.seconds:
            server.send_signal(signal.SIGKILL)
            killed = True
            kill_time = time.time() - t0
    for p in procs:
        p.join()
    elapsed = time.time() - t0
    peak = rss_kb(server.pid, "VmHWM")
    if not killed:
        server.send_signal(signal.SIGTERM)
    server.wait()
    outcomes = {}
    statuses = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                rid, kind, outcome, status = line.split()
                outcomes[rid] = (kind, outcome)
                statuses[status] = statuses.get(status, 0) + 1
    summary, problems = check_journal(journal, outcomes, killed)
    n = len(samples)
    after_warmup = [r for _, r in samples[n // 10:]] or [0]
    summary.update({
        "mode": a.mode, "requests": len(outcomes), "seconds": round(elapsed, 1),
        "requests_per_second": round(len(outcomes) / elapsed), "statuses": statuses,
        "kinds": {k: sum(1 for v in outcomes.values() if v[0] == k) for k, _ in KINDS},
        "rss_kb_first": samples[0][1] if samples else None, "rss_kb_after_10pct": after_warmup[0],
        "rss_kb_last": samples[-1][1] if samples else None, "rss_kb_max_after_10pct": max(after_warmup),
        "peak_rss_kb_vmhwm": peak, "server_exit": server.returncode, "work_dir": work,
        "problems": problems[:30],
    })
    if killed:
        summary["killed_at_seconds"] = round(kill_time, 1)
    print(json.dumps(summary, indent=1))
    with open(os.path.join(work, "summary.json"), "w") as f:
        json.dump({**summary, "rss_samples": samples}, f)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
