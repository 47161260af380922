#!/usr/bin/env python3
"""Writes Golden/delivery/*.json: one delivery (proxy) case per row of spec §9.3, plus the FAQ's 40002.

The expected proxy answers are computed here from the spec's rules (§9.2-§9.5), independently of the Swift code,
so `tiktok-harness replay Golden/delivery` checks the Swift classifier against this reading of the spec.
Run from the package root: python3 Scripts/delivery/generate-golden.py [--out DIR] (writes), or with `check` (CI:
the committed cases must be exactly what these rules give).
"""
import argparse
import json
import os
import sys

OUT = "Golden/delivery"
SUCCESS = "[TIKTOK_ADS Response Handler] - Request Processed Successfully"
NETWORK = {  # upstream nodeSysErrorToStatus, the codes the replay harness can produce over loopback
    "ECONNRESET": (500, "[ECONNRESET] :: Connection reset by peer"),
    "ECONNREFUSED": (500, "[ECONNREFUSED] :: Connection refused"),
    "ETIMEDOUT": (500, "[ETIMEDOUT] :: Operation timed out"),
}
GATEWAY_502 = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
               "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def metadata(job):
    return {"jobId": job, "attemptNum": 1, "userId": "golden-userId", "sourceId": "golden-sourceId",
            "destinationId": "golden-destination-id", "workspaceId": "golden-workspace-id",
            "secret": {"accessToken": "golden-access-token"}, "dontBatch": False}


def request(version):
    body = {"event_source": "web", "event_source_id": "GOLDENPIXEL01", "partner_name": "RudderStack",
            "data": [{"event": "CompletePayment", "event_id": "golden-event-1", "event_time": 1715249551,
                      "properties": {"currency": "USD", "value": 46, "content_type": "product",
                                     "contents": [{"content_id": "1077218", "price": 8, "quantity": 2}]},
                      "user": {"external_id": "golden-external-id"}}]}
    return {"version": version, "type": "REST", "method": "POST",
            "endpoint": "https://business-api.tiktok.com/open_api/v1.3/event/track/", "endpointPath": "",
            "headers": {"Access-Token": "golden-access-token", "Content-Type": "application/json"},
            "params": {"destination": "tiktok_ads"},
            "body": {"JSON": body, "JSON_ARRAY": {}, "XML": {}, "FORM": {}},
            "files": {}, "metadata": metadata(1) if version == "v0" else [metadata(1), metadata(2)],
            "destinationConfig": {}}


def handler_view(mock):
    """What the handler sees (§9.2): {response, status}."""
    if "network_error" in mock:
        status, message = NETWORK[mock["network_error"]["code"]]
        return message, status
    data, status = mock["response"]["data"], mock["response"]["status"]
    if data in (None, "", 0, False):  # upstream: data || ''
        data = ""
    return data, status


def classify(response, status):
    """§9.3, first match wins: (status, message, errorType or None)."""
    code = response.get("code") if isinstance(response, dict) else None
    if isinstance(code, bool):
        code = None
    if code in (0, 20001):
        return 200, SUCCESS, None
    if code == 40100:
        return 429, "Request failed with status: 40100", "throttled"
    if code in (40001, 40002):
        return 400, f"Request failed with status: {code}", "aborted"
    error_type = "retryable" if status >= 500 else "throttled" if status == 429 else "aborted"
    return status, f"Request failed with status: {status}", error_type


def stat_tags(error_type):
    return {"destType": "TIKTOK_ADS", "errorCategory": "network", "destinationId": "golden-destination-id",
            "workspaceId": "golden-workspace-id", "errorType": error_type, "feature": "dataDelivery",
            "implementation": "native", "module": "destination"}


def expected(version, inp, mock):
    response, http_status = handler_view(mock)
    status, message, error_type = classify(response, http_status)
    output = {"status": status, "message": message}
    if version == "v0":
        output["destinationResponse"] = {"response": response, "status": http_status}
        code = 200 if 200 <= status < 300 else 400 if status == 404 else status
    else:
        text = json.dumps(response, separators=(",", ":"), ensure_ascii=False)
        output["response"] = [{"error": text, "statusCode": status, "metadata": m} for m in inp["metadata"]]
        code = 200
    if error_type:
        output["statTags"] = stat_tags(error_type)
    return {"status": code, "body": {"output": output}}


def http(status, data):
    if isinstance(data, dict):
        data = dict(sorted(data.items()))  # the file is written with sorted keys; the mock sends it that way
    return {"source": "Scripts/delivery/generate-golden.py", "response": {"status": status, "data": data}}


ROWS = [
    # name, description, versions, mock
    ("success-code-0", "§9.3 row 1: HTTP 200 {code: 0} is a success", ["v0", "v1"], http(200, {"code": 0, "message": "OK"})),
    ("success-code-20001", "§9.3 row 1: {code: 20001} (partial success) is a success", ["v1"],
     http(200, {"code": 20001, "message": "Partial success", "data": {"failed_events": []}})),
    ("success-code-0-on-http-500", "§9.3 quirk: {code: 0} with HTTP 500 counts as success (code before status)", ["v0"],
     http(500, {"code": 0, "message": "OK"})),
    ("throttled-code-40100", "§9.3 row 2: {code: 40100} is throttled, status 429, retried", ["v0", "v1"],
     http(200, {"code": 40100, "message": "Too many requests. Please retry in some time."})),
    ("throttled-code-40100-on-http-503", "§9.3 row 2 wins over the HTTP status: 40100 on HTTP 503 is throttled", ["v1"],
     http(503, {"code": 40100, "message": "Too many requests. Please retry in some time."})),
    ("aborted-code-40001", "§9.3 row 3: {code: 40001} (permission) is aborted, status 400", ["v1"],
     http(200, {"code": 40001, "message": "No permission to operate pixel code: GOLDENPIXEL01."})),
    ("aborted-code-40002", "§9.3 row 3: {code: 40002} (invalid parameter) is aborted, status 400", ["v0"],
     http(200, {"code": 40002, "message": "data.0.properties.contents.0.content_id: Not a valid string."})),
    ("aborted-faq-40002-no-permission", "RudderStack FAQ: HTTP 200 {code: 40002, message: 'No permission to operate pixel code'} is aborted",
     ["v0", "v1"], http(200, {"code": 40002, "message": "No permission to operate pixel code"})),
    ("http-200-unknown-code-40000", "§9.3 row 4, Q13: HTTP 200 with another code is an error whose status is 200 (errorType aborted)",
     ["v0", "v1"], http(200, {"code": 40000, "message": "Invalid parameter"})),
    ("http-200-empty-body", "§9.3 row 4, Q13: HTTP 200 with an empty body: response \"\", an error with status 200", ["v1"], http(200, "")),
    ("http-502-gateway-page", "§9.3 row 4: HTTP 502 with an nginx page is retryable, status 502", ["v0"], http(502, GATEWAY_502)),
    ("http-503-json", "§9.3 row 4: HTTP 503 with a JSON error body is retryable, status 503", ["v1"],
     http(503, {"error": {"message": "Service Unavailable"}})),
    ("http-429", "§9.3 row 4: HTTP 429 without a TikTok code is throttled, status 429", ["v0"], http(429, "Too Many Requests")),
    ("http-404", "§9.3 row 4 and §9.4: HTTP 404 is aborted, output status 404, v0 endpoint answers 400", ["v0"],
     http(404, {"code": 40400, "message": "Not Found"})),
    ("http-401", "§9.3 row 4: HTTP 401 is aborted, status 401", ["v1"], http(401, {"message": "Unauthorized"})),
    ("network-econnreset", "§9.2: a reset connection is [ECONNRESET] :: Connection reset by peer, status 500, retryable",
     ["v0", "v1"], {"source": "Scripts/delivery/generate-golden.py",
                    "network_error": {"code": "ECONNRESET", "message": "Connection reset by peer"}}),
    ("network-econnrefused", "§9.2: a refused connection is [ECONNREFUSED] :: Connection refused, status 500, retryable",
     ["v0", "v1"], {"source": "Scripts/delivery/generate-golden.py",
                    "network_error": {"code": "ECONNREFUSED", "message": "Connection refused"}}),
    ("network-etimedout", "§9.2: a request that times out is [ETIMEDOUT] :: Operation timed out, status 500, retryable",
     ["v1"], {"source": "Scripts/delivery/generate-golden.py",
              "network_error": {"code": "ETIMEDOUT", "message": "Operation timed out"}}),
]


def cases(out=OUT):
    for name, description, versions, mock in ROWS:
        for version in versions:
            inp = request(version)
            yield os.path.join(out, f"{name}-{version}.json"), {
                "description": f"{description} ({version} proxy)",
                "route": f"POST /{version}/destinations/tiktok_ads/proxy",
                "input": inp, "expected": expected(version, inp, mock), "destination_http_mock": mock}


def text(case): return json.dumps(case, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(out):
    os.makedirs(out, exist_ok=True)
    for path, case in cases(out):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text(case))
    print(f"wrote {sum(len(r[2]) for r in ROWS)} cases to {out}/")


def check():
    """Every committed delivery case is exactly what the spec's rules give (and no other case is in OUT)."""
    bad, known = 0, set()
    for path, case in cases():
        known.add(os.path.basename(path))
        try:
            committed = open(path, encoding="utf-8").read()
        except OSError:
            print(f"{path}: missing"); bad += 1; continue
        if committed != text(case):
            print(f"{path}: differs from what the spec's rules give (run without arguments and review git diff)"); bad += 1
    extra = sorted(set(os.listdir(OUT)) - known)
    for name in extra: print(f"{OUT}/{name}: not generated here, so not backed by the spec's rules"); bad += 1
    print(f"{len(known)} delivery cases, {bad} disagreements")
    return bad == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Without a command it rewrites every file it generates; run it from the package root.")
    ap.add_argument("command", nargs="?", choices=["write", "check"], default="write",
                    help="write the cases (default), or check the committed ones against the rules")
    ap.add_argument("--out", default=OUT, help=f"the folder to write (default: {OUT})")
    args = ap.parse_args()
    if args.command == "check":
        sys.exit(0 if check() else 1)
    write(args.out)


if __name__ == "__main__":
    main()
