#!/usr/bin/env python3
"""A stand-in for a live rudder-transformer with one deliberate mapping difference, for trying `minimize`.

It answers rudder-transformer's TikTok Ads routes on 127.0.0.1 by running the built-in transformer
(`tiktok-harness transform -`, with `--router` for /routerTransform) and then changing every TikTok event it
produces in one way (`--difference`):

  currency    (default) drops `properties.currency`: a "next release" that lost the currency mapping
  content-id  writes each numeric-looking `contents[].content_id` as a number (string -> number)
  user        drops the `user` object (emails, phones, external ids)

usage: stand-in-transformer.py HARNESS [--port N] [--difference D]
  HARNESS: the tiktok-harness binary; port 0 (the default) picks any free port.
The first line on standard output is `listening on http://127.0.0.1:PORT`.
"""
import http.server
import json
import signal
import subprocess
import sys


def change(value, difference):
    """Applies `difference` to each TikTok event (an object with `properties`), wherever it sits in the answer."""
    if isinstance(value, dict):
        props = value.get("properties")
        if isinstance(props, dict):
            if difference == "currency":
                props.pop("currency", None)
            elif difference == "user":
                value.pop("user", None)
            elif difference == "content-id":
                for content in props.get("contents") or []:
                    if isinstance(content, dict) and str(content.get("content_id", "")).isdigit():
                        content["content_id"] = int(content["content_id"])
        for child in list(value.values()):
            change(child, difference)
    elif isinstance(value, list):
        for child in value:
            change(child, difference)


class Handler(http.server.BaseHTTPRequestHandler):
    harness = "tiktok-harness"
    difference = "currency"

    def do_POST(self):
        routes = {"/v0/destinations/tiktok_ads": [], "/routerTransform": ["--router"]}
        if self.path not in routes:
            return self.answer(404, {"error": f"no route {self.path}"})
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        run = subprocess.run([self.harness, "transform", "-"] + routes[self.path], input=body, capture_output=True)
        if run.returncode != 0:
            return self.answer(400, {"error": run.stderr.decode(errors="replace").strip()})
        answer = json.loads(run.stdout)
        for item in answer if isinstance(answer, list) else answer.get("output", []):
            change(item.get("output") or item.get("batchedRequest"), self.difference)
        self.answer(200, answer)

    def answer(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    # A parent may start us with these blocked (a test runner's threads do); `kill` must still stop the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    Handler.harness = sys.argv[1]
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    if "--difference" in sys.argv:
        Handler.difference = sys.argv[sys.argv.index("--difference") + 1]
        if Handler.difference not in ("currency", "content-id", "user"):
            sys.exit(f"unknown --difference {Handler.difference}; expected currency, content-id or user")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
