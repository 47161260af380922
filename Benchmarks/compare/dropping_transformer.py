#!/usr/bin/env python3
"""A stand-in live transformer for the compare benchmark: answers every processor request with one item per input,
each without its `output`, so every event differs from the built-in transformer's answer (the masking's worst case).
Usage: dropping_transformer.py PORT"""
import http.server, json, sys

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        data = json.dumps([{"metadata": item.get("metadata"), "statusCode": 200} for item in body]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
