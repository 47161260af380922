#!/usr/bin/env python3
"""SIGKILL right after a lone answer: is that request's journal line already on disk?

  quiet_kill.py BIN [--rounds 3]

Under load, a journal line that is written late is hidden by the lines that follow it; on a quiet server it is not.
For each request kind (a normal answer, an invalid JSON body, a delayed answer, and the reset, empty, partial and
malformed-JSON faults of `faults.json`), and ROUNDS times each: start the server, send that one request on a fresh
connection, wait until the client has seen its outcome (the answer, or the connection broken by the fault), SIGKILL
the server at once, and check the journal holds exactly that one line. Prints a JSON summary; exits 1 on a miss.
"""
import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import HERE, request  # noqa: E402


def outcome(port, kind):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(request(kind, 7))
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return "closed after %d bytes" % len(data)
            data += chunk
            if b"\r\n\r\n" in data:
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(body) >= length:
                    return "answered %s" % head[9:12].decode()
    except ConnectionResetError:
        return "reset"
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="quiet-kill-")
    results, problems = [], []
    for kind in ["ok", "bad_json", "delay", "reset", "empty", "partial", "malformed"]:
        for r in range(a.rounds):
            journal = os.path.join(work, "%s-%d.jsonl" % (kind, r))
            server = subprocess.Popen([a.bin, "serve", "--port", "0", "--journal", journal, "--scenario",
                                       os.path.join(HERE, "faults.json")], stdout=subprocess.PIPE)
            port = int(server.stdout.readline().decode().strip().rsplit(":", 1)[1])
            seen = outcome(port, kind)
            server.send_signal(signal.SIGKILL)
            server.wait()
            lines = open(journal, "rb").read().splitlines() if os.path.exists(journal) else []
            ok = len(lines) == 1 and json.loads(lines[0]).get("headers", {}).get("X-Soak-Id") == "7"
            results.append({"kind": kind, "round": r, "client_saw": seen, "journal_lines": len(lines), "ok": ok})
            if not ok:
                problems.append("%s round %d: client saw %s, journal has %d lines" % (kind, r, seen, len(lines)))
    print(json.dumps({"checks": len(results), "missing": len(problems), "problems": problems,
                      "results": results}, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
