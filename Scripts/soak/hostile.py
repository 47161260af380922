#!/usr/bin/env python3
"""Hostile clients against the mock (`tiktok-harness serve`): does it keep answering everyone else on time?

  hostile.py BIN [--seconds 30] [--idle 3000] [--slow 200] [--pipeline 1000] [--target-p99-ms 50]

A probe process sends one ordinary request every 10 ms on a keep-alive connection, plus one on a fresh connection
every 100 ms, and measures each answer's latency: first alone (baseline), then for SECONDS while, at the same time:
  * IDLE connections are opened and held without sending anything;
  * SLOW clients dribble a request at one byte per second (the server's read timeout answers them 408);
  * churn: connections opened and dropped at once, dropped after half a request, dropped right after a whole
    request without reading the answer, and garbage sent then dropped;
  * pipelining: PIPELINE requests written in one go on one connection, all answers read back and counted, repeatedly.
Checks: no probe fails, probe p99 under hostility ≤ TARGET_P99_MS, every pipelined request answered in order,
the server is still alive and answers health at the end. Prints a JSON summary; exits 1 if a check fails.
"""
import argparse, asyncio, json, multiprocessing, os, shutil, socket, subprocess, sys, tempfile, time

BODY = b'{"event_source":"web","event_source_id":"PIX","data":[{"event":"Purchase","event_time":1732766400}]}'


def req(rid, close=False):
    return (b"POST /open_api/v1.3/event/track/ HTTP/1.1\r\nHost: h\r\nAccess-Token: t\r\nX-Soak-Id: %s\r\n"
            b"Content-Type: application/json\r\n%sContent-Length: %d\r\n\r\n" % (
                str(rid).encode(), b"Connection: close\r\n" if close else b"", len(BODY))) + BODY


def read_one(sock, buf):
    """Reads one response from a blocking socket; returns (status, rest_of_buffer)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed mid-body")
        rest += chunk
    return int(head[9:12]), rest[length:]


def probe(port, seconds, out):
    """Runs in its own process: latencies of keep-alive and fresh-connection requests."""
    keep, fresh, failures = [], [], []
    end = time.time() + seconds
    sock = None
    buf = b""
    n = 0
    next_fresh = time.time()
    while time.time() < end:
        n += 1
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                buf = b""
            t = time.perf_counter()
            sock.sendall(req("probe-%d" % n))
            status, buf = read_one(sock, buf)
            keep.append((time.perf_counter() - t) * 1000)
            if status != 200:
                failures.append("keep-alive status %d" % status)
        except Exception as e:  # noqa: BLE001 (any failure is a finding)
            failures.append("keep-alive: %r" % e)
            sock = None
        if time.time() >= next_fresh:
            next_fresh += 0.1
            try:
                t = time.perf_counter()
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(req("fresh-%d" % n, close=True))
                status, _ = read_one(s, b"")
                s.close()
                fresh.append((time.perf_counter() - t) * 1000)
                if status != 200:
                    failures.append("fresh status %d" % status)
            except Exception as e:  # noqa: BLE001
                failures.append("fresh: %r" % e)
        time.sleep(0.01)
    out.put({"keep": keep, "fresh": fresh, "failures": failures})


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return round(v[min(len(v) - 1, int(len(v) * p))], 2)


def stats(values):
    return {"n": len(values), "p50_ms": pct(values, 0.5), "p99_ms": pct(values, 0.99),
            "max_ms": round(max(values), 2) if values else None}


async def hostile(port, seconds, idle_n, slow_n, pipeline_n, churn_n, counters):
    end = time.time() + seconds
    held = []

    async def idle():
        for i in range(idle_n):
            try:
                held.append(await asyncio.open_connection("127.0.0.1", port))
                counters["idle_open"] += 1
            except OSError as e:
                counters["idle_errors"] += 1
                counters["idle_error"] = repr(e)
            if i % 100 == 0:
                await asyncio.sleep(0.01)

    async def slow(i):
        data = req("slow-%d" % i)
        while time.time() < end:
            try:
                r, w = await asyncio.open_connection("127.0.0.1", port)
                for k in range(len(data)):
                    w.write(data[k:k + 1])
                    await w.drain()
                    await asyncio.sleep(1)
                    if time.time() >= end:
                        break
                    if r.at_eof():
                        break
                w.close()
                counters["slow_cycles"] += 1
            except (ConnectionError, OSError):
                counters["slow_closed_by_server"] += 1
                await asyncio.sleep(0.5)

    async def churn(kind):
        while time.time() < end:
            try:
                r, w = await asyncio.open_connection("127.0.0.1", port)
                if kind == 1:
                    w.write(req("half")[:60])
                elif kind == 2:
                    w.write(req("noread-%d" % counters["churn"]))
                elif kind == 3:
                    w.write(os.urandom(300))
                await w.drain()
                w.close()
                counters["churn"] += 1
            except (ConnectionError, OSError):
                counters["churn_errors"] += 1
            await asyncio.sleep(0.002)

    async def pipeline():
        while pipeline_n and time.time() < end:
            try:
                r, w = await asyncio.open_connection("127.0.0.1", port)
                w.write(b"".join(req("pipe-%d" % i) for i in range(pipeline_n)))
                await w.drain()
                got = 0
                for _ in range(pipeline_n):
                    head = await r.readuntil(b"\r\n\r\n")
                    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                    await r.readexactly(length)
                    got += 1
                w.close()
                counters["pipeline_batches"] += 1
                counters["pipeline_answered"] += got
                if got != pipeline_n:
                    counters["pipeline_short"] += 1
            except (ConnectionError, OSError, asyncio.IncompleteReadError) as e:
                counters["pipeline_errors"] += 1
                counters["pipeline_error"] = repr(e)
            await asyncio.sleep(0.2)

    await asyncio.gather(idle(), *(slow(i) for i in range(slow_n)), *(churn(k % 4) for k in range(churn_n)), pipeline())
    counters["idle_still_open"] = sum(1 for r, w in held if not r.at_eof())
    for r, w in held:
        w.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--idle", type=int, default=3000)
    ap.add_argument("--slow", type=int, default=200)
    ap.add_argument("--pipeline", type=int, default=1000)
    ap.add_argument("--churn", type=int, default=4, help="connect-and-drop tasks (kinds cycle)")
    ap.add_argument("--baseline-seconds", type=float, default=5)
    ap.add_argument("--target-p99-ms", type=float, default=50)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hostile-")
    journal = os.path.join(work, "journal.jsonl")
    server = subprocess.Popen([a.bin, "serve", "--port", "0", "--journal", journal], stdout=subprocess.PIPE,
                              stderr=open(os.path.join(work, "server.err"), "w"))
    port = int(server.stdout.readline().decode().strip().rsplit(":", 1)[1])
    fds_before = len(os.listdir("/proc/%d/fd" % server.pid))
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=probe, args=(port, a.baseline_seconds, q))
    p.start()
    baseline = q.get()
    p.join()
    counters = {k: 0 for k in ["idle_open", "idle_errors", "slow_cycles", "slow_closed_by_server", "churn",
                               "churn_errors", "pipeline_batches", "pipeline_answered", "pipeline_short",
                               "pipeline_errors"]}
    p = multiprocessing.Process(target=probe, args=(port, a.seconds, q))
    p.start()
    t0 = time.time()
    asyncio.run(hostile(port, a.seconds, a.idle, a.slow, a.pipeline, a.churn, counters))
    under = q.get()
    p.join()
    # Every hostile connection is closed by now: give the server a moment, then count its descriptors (a leak shows).
    fds = None
    for _ in range(10):
        time.sleep(0.5)
        fds = len(os.listdir("/proc/%d/fd" % server.pid))
        if fds <= fds_before + 8:
            break
    alive = server.poll() is None
    health = None
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        health, _ = read_one(s, b"")
        s.close()
    except Exception as e:  # noqa: BLE001
        health = repr(e)
    rss = None
    with open("/proc/%d/status" % server.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1])
    server.terminate()
    server.wait()
    under_all = under["keep"] + under["fresh"]
    problems = []
    if baseline["failures"] or under["failures"]:
        problems.append("probe failures: %s" % (baseline["failures"] + under["failures"])[:10])
    if pct(under_all, 0.99) is None or pct(under_all, 0.99) > a.target_p99_ms:
        problems.append("probe p99 %s ms over the %s ms target" % (pct(under_all, 0.99), a.target_p99_ms))
    if counters["pipeline_short"] or (a.pipeline and counters["pipeline_batches"] == 0):
        problems.append("pipelining: %d short batches, %d batches" % (counters["pipeline_short"], counters["pipeline_batches"]))
    if fds > fds_before + 8:
        problems.append("server holds %d descriptors after the clients left (%d before)" % (fds, fds_before))
    if not alive or health != 200:
        problems.append("server alive=%s health=%s" % (alive, health))
    summary = {"seconds": round(time.time() - t0, 1), "baseline_keepalive": stats(baseline["keep"]),
               "baseline_fresh": stats(baseline["fresh"]), "hostile_keepalive": stats(under["keep"]),
               "hostile_fresh": stats(under["fresh"]), "target_p99_ms": a.target_p99_ms, "counters": counters,
               "server_fds_before": fds_before, "server_fds_after": fds, "server_peak_rss_kb": rss, "problems": problems}
    print(json.dumps(summary, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
