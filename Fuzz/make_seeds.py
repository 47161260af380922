#!/usr/bin/env python3
"""Writes the starting corpora for the fuzz targets into OUT/<target>/ (not committed: regenerated each run).

json:        every Golden case and scenario file, plus grammar edge cases
transformer: every Golden input body, each processor input item alone, and each message alone
mock:        the json seeds plus Events API bodies (valid, and with wrong field types)
http:        one cut byte (read sizes) + requests: fixed length, chunked with extensions/trailers, pipelined, 100-continue
"""
import argparse, glob, json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
_ap.add_argument("out", help="the folder to write the seeds into (OUT/<target>/)")
out = _ap.parse_args().out

def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def compact(v):
    """Compact JSON in UTF-8; a lone surrogate (which UTF-8 cannot hold) keeps its \\u escape instead."""
    text = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    try:
        text.encode()
        return text
    except UnicodeEncodeError:
        return json.dumps(v, separators=(",", ":"))

files = sorted(glob.glob(f"{root}/Golden/**/*.json", recursive=True)) + sorted(glob.glob(f"{root}/MockServer/scenarios/*.json"))
for i, path in enumerate(files):
    raw = open(path, "rb").read()
    write("json", f"file-{i}", raw)
    try:
        case = json.loads(raw)
    except ValueError:
        continue
    body = case.get("input") if isinstance(case, dict) else None
    if body is None:
        continue
    write("transformer", f"body-{i}", compact(body))
    items = body if isinstance(body, list) else body.get("input", []) if isinstance(body, dict) else []
    for j, item in enumerate(items[:4]):
        write("transformer", f"item-{i}-{j}", compact([item]))
        if isinstance(item, dict) and "message" in item:
            write("transformer", f"message-{i}-{j}", compact(item["message"]))

# Events 2.0 and 1.0 messages dated in each grammar a capture may carry (issue 12), valid and out of range.
DATES = [
    "2024-05-09T10:12:31.713Z", "2024-05-09T12:12:31+02:00", "2024-05-09 10:12:31", "+275760-09-13T00:00:00.000Z",
    "Thu, 09 May 2024 10:12:31 GMT", "Thu, 09 May 2024 12:12:31 +0200", "09 May 2024 10:12:31 -0400",
    "Thu May 09 2024 10:12:31 GMT+0000 (Coordinated Universal Time)", "Thursday, 09-May-24 10:12:31 GMT",
    "Thu May  9 10:12:31 2024", "1715249551713", "Sun, 01 Oct 99999999999999999 00:00:00 GMT",
    "Sun, 01 Oct -99999999999999999 00:00:00 GMT", "99999999999999999-01-01T00:00:00Z",
]
for i, date in enumerate(DATES):
    for version in ("v2", "v1"):
        item = {"message": {"type": "track", "event": "Order Completed", "messageId": f"m{i}", "timestamp": date,
                            "originalTimestamp": date, "properties": {"order_id": "o", "value": 1}},
                "destination": {"Config": {"accessToken": "t", "pixelCode": "P", "version": version}},
                "metadata": {"jobId": 1}}
        write("transformer", f"date-{i}-{version}", compact([item]))

for i, text in enumerate([
    r'{"a":[1,2.5,"x",null,true,{}],"b":{"c":[]}}',
    r'[-0, -0.0, 0e0, 1E+2, 1e-2, 12345678901234567890, -9223372036854775808, 9223372036854775807, 1e400, 5e-324]',
    r'"\u0000\u001f\"\\\/\b\f\n\r\t\ud83c\udf89\ud800\udc00x\udfff"',
    " \t\r\n {\"k\" : [ ] , \"k\" : { } } \n",
    "[[[[[[[[[[]]]]]]]]]]", "\"é日本🎉\"", "123.456e-7", "[1,\"a\",{\"b\":[null]}]",
]):
    write("json", f"edge-{i}", text)

body = open(f"{root}/Golden/v2/" + sorted(os.listdir(f"{root}/Golden/v2"))[0], "rb").read()[:300]
requests = [
    b"POST /open_api/v1.3/event/track/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccess-Token: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
    b"POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x=y\r\nc\r\n0\r\nTrailer: v\r\n\r\n",
    b"GET /a?x=1&y=%41+b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.0\n\nDELETE /__admin/requests HTTP/1.1\r\nConnection: close\r\n\r\n",
    b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    b"\r\n\r\nPUT /x HTTP/1.1\r\nContent-Length: 3, 3\r\nX:  y \r\n\r\nabc",
]
for i, r in enumerate(requests):
    for cut in (0, 3, 200):
        write("http", f"req-{i}-{cut}", bytes([cut]) + r)

# The mock: every JSON seed, plus TikTok request bodies.
for name in os.listdir(os.path.join(out, "json")):
    write("mock", name, open(os.path.join(out, "json", name), "rb").read())
for i, b in enumerate([
    {"event_source": "web", "event_source_id": "PIX", "data": [{"event": "Purchase", "event_time": 1732766400, "properties": {"contents": [{"content_id": "1", "price": 1, "quantity": 1}]}}]},
    {"pixel_code": "PIX", "event": "CompletePayment", "event_id": "e", "timestamp": "2020-09-17T19:49:27Z", "context": {"user": {"email": "x"}}, "properties": {"value": "46"}},
    {"pixel_code": "PIX", "batch": [{"event": "ViewContent", "event_id": 1}, {"event": "AddToCart", "properties": {"contents": [{"content_id": 5}]}}]},
    {"event_source": "web", "event_source_id": "PIX", "data": []},
]):
    write("mock", f"body-{i}", compact(b))
