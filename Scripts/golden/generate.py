#!/usr/bin/env python3
"""Builds the inputs of the golden corpus in Golden/ and checks the pinned outputs against the spec.

    python3 Scripts/golden/generate.py write   # (re)write case inputs; keeps `expected` when the input is unchanged
    swift run tiktok-harness replay --update   # fill/refresh `expected` for new or changed cases (locally, not in CI)
    python3 Scripts/golden/generate.py check   # check every pinned output against the spec (and upstream)

Each case below carries `checks`: (JSON Pointer into expected.body, value) pairs read off the spec (section noted),
so an expected value is never just "whatever the transformer printed". `check` also derives each case's whole
expected answer from spec_model.py (an independent model of transformer-spec.md and upstream-divergences.md) and
compares every pinned value with it. A V8 error text the spec does not quote is backed instead by upstream's own
answers: `check` runs the built `tiktok-harness replay --coverage` over ../shared/conformance/differential/ and
requires upstream to give the same text on a case that reaches the same coverage row (and that the transformer
passes). With ../shared present it also runs the spec model on every differential case and fails on any case where
it disagrees with upstream. It fails loudly on any disagreement, and prints the share of pinned values each backs.
Cases are plain data; add one by appending to CASES. The cases from "Mapping coverage" on reach every row
`replay --coverage` lists (Tests/CLITests/GoldenCoverageTests checks that none is left unreached).
"""
import hashlib, json, os, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Golden")
PROCESSOR, ROUTER = "POST /v0/destinations/tiktok_ads", "POST /routerTransform"
TOKEN, PIXEL = "golden-access-token", "GOLDENPIXEL01"
V1_TRACK = "https://business-api.tiktok.com/open_api/v1.3/pixel/track/"
V1_BATCH = "https://business-api.tiktok.com/open_api/v1.3/pixel/batch/"
V2_TRACK = "https://business-api.tiktok.com/open_api/v1.3/event/track/"

def sha_utf8(s): return hashlib.sha256(s.encode("utf-8")).hexdigest()
def sha_utf16_low(s):  # spec §5 / Q18: v2 hashes the low byte of every UTF-16 code unit
    units = s.encode("utf-16-le")
    return hashlib.sha256(bytes(units[i] for i in range(0, len(units), 2))).hexdigest()

def config(version=None, hashing=False, **extra):
    c = {"accessToken": TOKEN, "pixelCode": PIXEL, "hashUserProperties": hashing}
    if version: c["version"] = version
    c.update(extra)
    return c

def destination(cfg):
    return {"ID": "golden-destination-id", "Name": "TikTok Ads", "DestinationDefinition": {"ID": "golden-def-id",
            "Name": "TIKTOK_ADS", "DisplayName": "TikTok Ads", "Config": {}}, "Enabled": True,
            "WorkspaceID": "golden-workspace-id", "Transformations": [], "RevisionID": "golden-revision",
            "IsProcessorEnabled": True, "IsConnectionEnabled": True, "Config": cfg, "hasDynamicConfig": False}

def metadata(job):
    return {"jobId": job, "attemptNum": 1, "userId": "golden-userId", "sourceId": "golden-sourceId",
            "destinationId": "golden-destination-id", "workspaceId": "golden-workspace-id", "dontBatch": False}

def message(event, props=None, slug="1", **over):
    m = {"type": "track", "event": event, "messageId": f"golden-message-{slug}", "anonymousId": "golden-anon-1",
         "userId": "golden-user-1", "channel": "web", "timestamp": "2024-03-01T10:20:30.456Z",
         "originalTimestamp": "2024-03-01T10:20:29.000Z",
         "context": {"ip": "203.0.113.7", "userAgent": "Mozilla/5.0 (X11; Linux x86_64) GoldenAgent/1.0",
                     "locale": "en-US", "os": {"name": "", "version": ""},
                     "page": {"url": "https://shop.example.com/p/1", "referrer": "https://www.example.com/"},
                     "traits": {"email": "Jane.Doe@Example.com", "phone": "+15550100199"},
                     "externalId": [{"type": "tiktokExternalId", "id": "golden-customer-0001"}]},
         "properties": props if props is not None else {}}
    for k, v in over.items():
        if v is None: m.pop(k, None)
        else: m[k] = v
    return m

def processor(msgs, cfg):
    if isinstance(msgs, dict): msgs = [msgs]
    return [{"message": m, "metadata": metadata(i + 1), "destination": destination(cfg)} for i, m in enumerate(msgs)]

def router(msgs, cfgs):
    if not isinstance(cfgs, list): cfgs = [cfgs] * len(msgs)
    return {"destType": "tiktok_ads", "input": [{"message": m, "metadata": metadata(i + 1), "destination": destination(c)}
                                                for i, (m, c) in enumerate(zip(msgs, cfgs))]}

CASES = []
def case(name, description, route, input, checks, mocks=None, ignore=None):
    CASES.append({"name": name, "description": description, "route": route, "input": input, "checks": checks, "mocks": mocks,
                  "ignore": ignore})

J = "/0/output/body/JSON"          # v1 processor payload
D = "/0/output/body/JSON/data/0"   # v2 processor first data entry

# --- §4: the 14 documented event mappings, Events 1.0 and 2.0 -------------------------------------------------
MAPPINGS = [("ViewContent", "ViewContent"), ("ClickButton", "ClickButton"), ("Search", "Search"), ("Contact", "Contact"),
            ("Download", "Download"), ("SubmitForm", "SubmitForm"), ("CompleteRegistration", "CompleteRegistration"),
            ("Subscribe", "Subscribe"), ("Product Added to Wishlist", "AddToWishlist"), ("Product Added", "AddToCart"),
            ("Checkout Started", "InitiateCheckout"), ("Payment Info Entered", "AddPaymentInfo"),
            ("Checkout Step Completed", "CompletePayment"), ("Order Completed", "PlaceAnOrder")]
V2_DEFAULT_PRODUCT = {"AddToCart", "CompletePayment", "PlaceAnOrder", "ViewContent"}  # §7.3
for rs, tt in MAPPINGS:
    slug = rs.lower().replace(" ", "-")
    props = {"eventId": f"evt-{slug}", "currency": "USD", "value": 25}
    case(f"v1/event-{slug}", f"Events 1.0: '{rs}' maps to {tt} (spec §4)", PROCESSOR,
         processor(message(rs, props, slug), config()),
         [("/0/statusCode", 200), (J + "/event", tt), ("/0/output/endpoint", V1_TRACK), (J + "/pixel_code", PIXEL),
          (J + "/event_id", f"evt-{slug}"), (J + "/properties/currency", "USD"), (J + "/partner_name", "RudderStack")])
    checks = [("/0/statusCode", 200), (D + "/event", tt), ("/0/output/endpoint", V2_TRACK),
              ("/0/output/body/JSON/event_source_id", PIXEL), ("/0/output/body/JSON/event_source", "web"),
              (D + "/event_time", 1709288430)]
    checks.append((D + "/properties/content_type", "product" if tt in V2_DEFAULT_PRODUCT else "<absent>"))
    case(f"v2/event-{slug}", f"Events 2.0: '{rs}' maps to {tt}; default content_type only for the four product events (spec §4, §7.3)",
         PROCESSOR, processor(message(rs, props, slug), config("v2")), checks)

# --- §6.1: documented property rows, Events 1.0 -------------------------------------------------------------
def v1prop(row, desc, props, checks, cfg=None, **over):
    case(f"v1/property-{row}", f"Events 1.0 property row {desc} (spec §6.1)", PROCESSOR,
         processor(message("Product Added", props, "prop-" + row, **over), cfg or config()), checks)
v1prop("event-id", "properties.eventId → event_id (falls back to messageId)", {"eventId": "evt-42"}, [(J + "/event_id", "evt-42")])
v1prop("event-id-fallback", "event_id falls back to messageId when eventId is \"\"", {"eventId": ""}, [(J + "/event_id", "golden-message-prop-event-id-fallback")])
v1prop("timestamp", "timestamp → timestamp (raw copy)", {}, [(J + "/timestamp", "2024-03-01T10:20:30.456Z")])
v1prop("timestamp-missing", "timestamp is not taken from originalTimestamp", {}, [(J + "/timestamp", "<absent>")], timestamp=None)
v1prop("test-event-code", "properties.testEventCode → test_event_code", {"testEventCode": "TEST123"}, [(J + "/test_event_code", "TEST123")])
v1prop("contents", "properties.contents → properties.contents, content_type defaults to product_group",
       {"contents": [{"content_id": "sku-1", "price": 9.5, "quantity": 2}, {"content_id": "sku-2", "content_type": "product"}]},
       [(J + "/properties/contents/0/content_type", "product_group"), (J + "/properties/contents/1/content_type", "product"),
        (J + "/properties/contents/0/content_id", "sku-1")])
v1prop("contents-from-products", "products build contents (content_type product; sku/url dropped)",
       {"currency": "EUR", "products": [{"product_id": 123, "sku": "S-1", "name": "Mug", "price": 5, "quantity": 1, "url": "https://x"}]},
       [(J + "/properties/contents/0/content_id", "123"), (J + "/properties/contents/0/content_type", "product"),
        (J + "/properties/contents/0/content_name", "Mug"), (J + "/properties/contents/0/sku", "<absent>")])
v1prop("currency", "properties.currency → properties.currency", {"currency": "EUR"}, [(J + "/properties/currency", "EUR")])
v1prop("value", "properties.value → properties.value", {"value": 19.99}, [(J + "/properties/value", 19.99)])
v1prop("value-zero", "properties.value 0 is kept", {"value": 0}, [(J + "/properties/value", 0)])
v1prop("description", "properties.description → properties.description", {"description": "Blue mug"}, [(J + "/properties/description", "Blue mug")])
v1prop("query", "properties.query → properties.query", {"query": "blue mug"}, [(J + "/properties/query", "blue mug")])
v1prop("context-ad", "context.ad, with properties.clickId overriding the callback",
       {"clickId": "click-1", "context": {"ad": {"callback": "old", "ad_id": "ad-9"}}},
       [(J + "/context/ad/callback", "click-1"), (J + "/context/ad/ad_id", "ad-9")])
v1prop("context-page", "properties.context.page wins over context.page",
       {"context": {"page": {"url": "https://shop.example.com/override"}}}, [(J + "/context/page/url", "https://shop.example.com/override")])
v1prop("context-page-fallback", "context.page is used when properties.context.page is absent", {},
       [(J + "/context/page/url", "https://shop.example.com/p/1"), (J + "/context/page/referrer", "https://www.example.com/")])
v1prop("context-user", "properties.context.user passes through; traits fill email and phone",
       {"context": {"user": {"email": "ctx@example.com", "foo": "bar"}}},
       [(J + "/context/user/email", "ctx@example.com"), (J + "/context/user/foo", "bar"), (J + "/context/user/phone_number", "+15550100199")])
v1prop("ip", "context.ip → context.ip", {}, [(J + "/context/ip", "203.0.113.7")])
v1prop("ip-request-ip", "request_ip is the fallback for context.ip", {}, [(J + "/context/ip", "198.51.100.4")],
       context={"userAgent": "UA/1", "traits": {}}, request_ip="198.51.100.4")
v1prop("user-agent", "context.userAgent → context.user_agent", {}, [(J + "/context/user_agent", "Mozilla/5.0 (X11; Linux x86_64) GoldenAgent/1.0")])
v1prop("tiktok-external-id", "context.externalId tiktokExternalId → context.user.external_id", {},
       [(J + "/context/user/external_id", "golden-customer-0001")])
v1prop("tiktok-external-id-numeric", "a numeric tiktokExternalId is dropped (Q5)", {},
       [(J + "/context/user/external_id", "<absent>")],
       context={"ip": "203.0.113.7", "externalId": [{"type": "tiktokExternalId", "id": 12345}]})

# --- §7.1: the same rows, Events 2.0 --------------------------------------------------------------------------
def v2prop(row, desc, props, checks, cfg=None, **over):
    case(f"v2/property-{row}", f"Events 2.0 property row {desc} (spec §7.1)", PROCESSOR,
         processor(message("Product Added", props, "prop-" + row, **over), cfg or config("v2")), checks)
B = "/0/output/body/JSON"
v2prop("event-id", "properties.eventId → event_id", {"eventId": "evt-42"}, [(D + "/event_id", "evt-42")])
v2prop("timestamp", "timestamp → event_time in Unix seconds", {}, [(D + "/event_time", 1709288430)])
v2prop("timestamp-original", "originalTimestamp is the fallback for event_time", {}, [(D + "/event_time", 1709288429)], timestamp=None)
v2prop("timestamp-epoch-ms", "an epoch-ms timestamp passes through unchanged (Q7)", {}, [(D + "/event_time", 1600372167123)], timestamp=1600372167123)
v2prop("test-event-code", "properties.testEventCode → test_event_code at the body top level", {"testEventCode": "TEST123"}, [(B + "/test_event_code", "TEST123")])
v2prop("contents", "properties.contents → contents, contents_ids and num_items; no default content_type on items",
       {"contents": [{"content_id": "sku-1", "price": 9.5}, {"content_id": "", "price": 1}]},
       [(D + "/properties/contents_ids", ["sku-1"]), (D + "/properties/num_items", 1), (D + "/properties/contents/0/content_type", "<absent>"),
        (D + "/properties/content_type", "product")])
v2prop("contents-from-products", "products build contents with no content_type",
       {"products": [{"product_id": 7, "name": "Mug", "price": 5}]},
       [(D + "/properties/contents/0/content_id", "7"), (D + "/properties/contents_ids", ["7"]), (D + "/properties/num_items", 1)])
v2prop("currency", "properties.currency", {"currency": "EUR"}, [(D + "/properties/currency", "EUR")])
v2prop("value", "properties.value", {"value": 19.99}, [(D + "/properties/value", 19.99)])
v2prop("description", "properties.description", {"description": "Blue mug"}, [(D + "/properties/description", "Blue mug")])
v2prop("query", "properties.query → query and search_string", {"query": "blue mug"},
       [(D + "/properties/query", "blue mug"), (D + "/properties/search_string", "blue mug")])
v2prop("ad", "properties.callBack and ad ids → ad (clickId unused)", {"callBack": "cb-1", "adId": "ad-9", "clickId": "ignored"},
       [(D + "/ad/callback", "cb-1"), (D + "/ad/ad_id", "ad-9")])
v2prop("page", "page.url and page.referrer from context.page", {},
       [(D + "/page/url", "https://shop.example.com/p/1"), (D + "/page/referrer", "https://www.example.com/")])
v2prop("user", "user email (lowercased, trimmed, unhashed), phone, locale", {},
       [(D + "/user/email", "jane.doe@example.com"), (D + "/user/phone", "+15550100199"), (D + "/user/locale", "en-US")])
v2prop("ip", "context.ip → user.ip", {}, [(D + "/user/ip", "203.0.113.7")])
v2prop("user-agent", "context.userAgent → user.user_agent", {}, [(D + "/user/user_agent", "Mozilla/5.0 (X11; Linux x86_64) GoldenAgent/1.0")])
v2prop("tiktok-external-id", "tiktokExternalId → user.external_id", {}, [(D + "/user/external_id", "golden-customer-0001")])
v2prop("event-source", "properties.eventSource selects event_source", {"eventSource": "app"}, [(B + "/event_source", "app")])

# --- The documentation's sample "Order Completed" call, hashing on and off ------------------------------------
DOCS = {"checkout_id": "12345", "order_id": "1234", "affiliation": "Apple Store", "total": 20, "revenue": 15.0, "shipping": 22,
        "tax": 1, "discount": 1.5, "coupon": "ImagePro", "currency": "USD", "contentType": "product",
        "products": [{"product_id": "123", "sku": "G-32", "name": "Monopoly", "price": 14, "quantity": 1, "category": "Games",
                      "url": "https://www.website.com/product/path", "image_url": "https://www.website.com/product/path.jpg"},
                     {"product_id": "345", "sku": "F-32", "name": "UNO", "price": 3.45, "quantity": 2, "category": "Games"}]}
email, phone, ext = "jane.doe@example.com", "+15550100199", "golden-customer-0001"
for version, suite in [(None, "v1"), ("v2", "v2")]:
    for hashing in (True, False):
        tag = "hashed" if hashing else "unhashed"
        if suite == "v1":
            checks = [(J + "/event", "PlaceAnOrder"), (J + "/properties/order_id", "1234"), (J + "/properties/content_type", "product"),
                      (J + "/properties/contents/0/content_id", "123"), (J + "/properties/contents/1/price", 3.45),
                      (J + "/properties/contents/0/content_category", "Games"), (J + "/properties/contents/0/image_url", "<absent>"),
                      (J + "/context/user/email", sha_utf8(email) if hashing else "Jane.Doe@Example.com"),
                      (J + "/context/user/phone_number", sha_utf8(phone) if hashing else phone),
                      (J + "/context/user/external_id", sha_utf8(ext) if hashing else ext)]
        else:
            checks = [(D + "/event", "PlaceAnOrder"), (D + "/properties/order_id", "1234"), (D + "/properties/content_type", "product"),
                      (D + "/properties/contents_ids", ["123", "345"]), (D + "/properties/num_items", 2),
                      (D + "/user/email", sha_utf16_low(email) if hashing else email),
                      (D + "/user/phone", sha_utf16_low(phone) if hashing else phone),
                      (D + "/user/external_id", sha_utf16_low(ext) if hashing else ext)]
        case(f"{suite}/docs-sample-order-completed-{tag}",
             f"RudderStack docs sample 'Order Completed' call, Events {'1.0' if suite == 'v1' else '2.0'}, hashing {'on' if hashing else 'off'} (spec §6/§7)",
             PROCESSOR, processor(message("Order Completed", DOCS, f"docs-{tag}"), config(version, hashing)), checks)

# --- Hashing details: names and zip (v2 always hashed), non-ASCII (Q18), numeric phone (Q5) --------------------
traits = {"email": " Jane.Doe@Example.com ", "phone": "+15550100199", "firstName": " Jane ", "lastName": "Doe", "zip": " US - 1234-"}
case("v2/hashing-off-names-and-zip-still-hashed", "v2 hashes first_name, last_name and zip_code even with hashing off (spec §7.1)",
     PROCESSOR, processor(message("Search", {}, "names", context={"traits": traits}), config("v2", False)),
     [(D + "/user/first_name", sha_utf16_low("jane")), (D + "/user/last_name", sha_utf16_low("doe")),
      (D + "/user/zip_code", sha_utf16_low("US1234")), (D + "/user/email", "jane.doe@example.com")])
nonascii = {"email": "José@Exämple.com"}
case("v1/hashing-non-ascii-email", "v1 hashes the UTF-8 bytes of a non-ASCII email (spec §5, Q18)", PROCESSOR,
     processor(message("Search", {}, "nonascii", context={"traits": nonascii}), config(None, True)),
     [(J + "/context/user/email", sha_utf8("josé@exämple.com"))])
case("v2/hashing-non-ascii-email", "v2 hashes the low byte of each UTF-16 code unit of a non-ASCII email (spec §5, Q18)", PROCESSOR,
     processor(message("Search", {}, "nonascii", context={"traits": nonascii}), config("v2", True)),
     [(D + "/user/email", sha_utf16_low("josé@exämple.com"))])
case("v1/hashing-prehashed-external-id", "v1 re-hashes an already hashed external id (Q4)", PROCESSOR,
     processor(message("Search", {}, "prehashed", context={"externalId": [{"type": "tiktokExternalId", "id": sha_utf8("x")}]}), config(None, True)),
     [(J + "/context/user/external_id", sha_utf8(sha_utf8("x")))])
case("v2/hashing-numeric-phone", "v2 sends a numeric phone raw and unhashed (Q5)", PROCESSOR,
     processor(message("Search", {}, "numphone", context={"traits": {"phone": 15550100199}}), config("v2", True)),
     [(D + "/user/phone", 15550100199)])

# --- §4: custom eventsToStandard mappings and custom events ---------------------------------------------------
ets = [{"from": "Signed Up", "to": "CompleteRegistration"}, {"from": "signed up", "to": "Subscribe"}]
case("mapping/events-to-standard-one-to-many-v1", "eventsToStandard one-to-many: v1 emits one request per target (spec §4)", PROCESSOR,
     processor(message("Signed Up", {}, "ets1"), config(None, eventsToStandard=ets)),
     [("/0/output/body/JSON/event", "CompleteRegistration"), ("/1/output/body/JSON/event", "Subscribe"), ("/2", "<absent>")])
case("mapping/events-to-standard-one-to-many-v2", "eventsToStandard one-to-many: v2 emits one data[] entry per target (spec §4)", PROCESSOR,
     processor(message("Signed Up", {}, "ets2"), config("v2", eventsToStandard=ets)),
     [("/0/output/body/JSON/data/0/event", "CompleteRegistration"), ("/0/output/body/JSON/data/1/event", "Subscribe"), ("/1", "<absent>")])
case("mapping/events-to-standard-overrides-builtin", "a config mapping wins over the built-in table: Order Completed → Purchase (spec §4)",
     PROCESSOR, processor(message("Order Completed", {}, "ets3"), config(None, eventsToStandard=[{"from": "Order Completed", "to": "Purchase"}])),
     [(J + "/event", "Purchase")])
case("mapping/case-and-space-insensitive", "event names match lowercased and trimmed: '  SubscriBe ' → Subscribe (spec §4)", PROCESSOR,
     processor(message("  SubscriBe ", {}, "case"), config()), [(J + "/event", "Subscribe")])
case("mapping/send-custom-events-v1", "sendCustomEvents keeps the original name for unmapped events, v1 (spec §4)", PROCESSOR,
     processor(message("customEvent", {}, "custom1"), config(None, sendCustomEvents=True)), [(J + "/event", "customEvent")])
case("mapping/send-custom-events-v2", "sendCustomEvents keeps the original name, v2, no default content_type (spec §4, §7.3)", PROCESSOR,
     processor(message("customEvent", {}, "custom2"), config("v2", sendCustomEvents=True)),
     [(D + "/event", "customEvent"), (D + "/properties", "<absent>")])

# --- §3: every error, in order --------------------------------------------------------------------------------
def err(name, desc, msg, cfg, expected, errtype, **over):
    m = message(over.pop("event", "Search"), {}, "err-" + name, **over)
    case(f"errors/{name}", f"{desc} (spec §3)", PROCESSOR, processor(m, cfg),
         [("/0/statusCode", 400), ("/0/error", expected), ("/0/statTags/errorType", errtype),
          ("/0/statTags/errorCategory", "dataValidation"), ("/0/statTags/destType", "TIKTOK_ADS"), ("/0/statTags/feature", "processor")])
err("access-token-missing-v1", "v1: missing accessToken; the message ends with a space", None, config() | {"accessToken": ""}, "Access Token not found. Aborting ", "configuration")
err("access-token-missing-v2", "v2: missing accessToken; no trailing space", None, config("v2") | {"accessToken": ""}, "Access Token not found. Aborting", "configuration")
err("pixel-code-missing", "missing pixelCode", None, {k: v for k, v in config().items() if k != "pixelCode"}, "Pixel Code not found. Aborting", "configuration")
err("event-type-missing", "message.type missing", None, config(), "Event type is required", "instrumentation", type=None)
err("event-type-unsupported", "identify is not supported", None, config(), "Event type identify is not supported", "instrumentation", type="identify")
err("event-missing", "message.event missing", None, config(), "Event is a required field and should be a string", "instrumentation", event=None)
err("event-not-string", "message.event a number", None, config(), "Event is a required field and should be a string", "instrumentation", event=123)
err("event-name-blank-v2", "v2: a whitespace-only event name", None, config("v2"), "Event name is required", "instrumentation", event="   ")
err("event-not-mapped-v1", "v1: an unmapped event without sendCustomEvents", None, config(),
    "Event name (product added to wishlist1) is not valid, must be mapped to one of standard events", "instrumentation", event="Product Added To Wishlist1")
err("event-not-mapped-v2", "v2: a standard name that is not a table key (AddToCart)", None, config("v2"),
    "Event name (addtocart) is not valid, must be mapped to one of standard events", "instrumentation", event="AddToCart")
err("timestamp-unparseable-v2", "v2: no parseable timestamp", None, config("v2"), 'Missing required value from "timestamp"', "instrumentation",
    timestamp="not a date", originalTimestamp=None)

# --- §8: router batching --------------------------------------------------------------------------------------
R = "/output"
three = [message(e, {"eventId": f"r{i}"}, f"r{i}") for i, e in enumerate(["Product Added", "Search", "Order Completed"], 1)]
case("router/v1-batch", "v1 router: three events, one pixel/batch request, type: track added, pixel_code once (spec §8.3)", ROUTER,
     router(three, config()),
     [(R + "/0/batched", True), (R + "/0/batchedRequest/endpoint", V1_BATCH), (R + "/0/batchedRequest/body/JSON/pixel_code", PIXEL),
      (R + "/0/batchedRequest/body/JSON/batch/0/type", "track"), (R + "/0/batchedRequest/body/JSON/batch/0/pixel_code", "<absent>"),
      (R + "/0/batchedRequest/body/JSON/batch/2/event", "PlaceAnOrder"), (R + "/0/metadata/2/jobId", 3), (R + "/1", "<absent>")])
case("router/v1-test-event-not-batched", "v1 router: a test event goes alone, batched false, batchedRequest an array (spec §8.2)", ROUTER,
     router([three[0], message("Search", {"testEventCode": "T1"}, "rt"), three[2]], config()),
     [(R + "/0/batched", True), (R + "/0/metadata/1/jobId", 3), (R + "/1/batched", False), (R + "/1/metadata/0/jobId", 2),
      (R + "/1/batchedRequest/0/endpoint", V1_TRACK)])
case("router/v1-chunks-of-50", "v1 router: 51 events give chunks of 50 and 1 (spec §8.3)", ROUTER,
     router([message("Search", {}, f"c{i}") for i in range(51)], config()),
     [(R + "/0/metadata/49/jobId", 50), (R + "/1/metadata/0/jobId", 51), (R + "/1/batched", True), (R + "/2", "<absent>")])
case("router/v2-batch", "v2 router: one event/track request with every data entry, no test_event_code (spec §8.4)", ROUTER,
     router(three, config("v2")),
     [(R + "/0/batchedRequest/endpoint", V2_TRACK), (R + "/0/batchedRequest/body/JSON/event_source", "web"),
      (R + "/0/batchedRequest/body/JSON/data/2/event", "PlaceAnOrder"), (R + "/0/batchedRequest/body/JSON/test_event_code", "<absent>"),
      (R + "/1", "<absent>")])
case("router/v2-event-source-groups", "v2 router: events are grouped by event_source (spec §8.4)", ROUTER,
     router([three[0], message("Search", {"eventSource": "app"}, "app"), three[2]], config("v2")),
     [(R + "/0/batchedRequest/body/JSON/event_source", "web"), (R + "/0/metadata/1/jobId", 3),
      (R + "/1/batchedRequest/body/JSON/event_source", "app"), (R + "/1/metadata/0/jobId", 2)])
case("router/v2-batch-limit-override", "v2 router with maxBatchSizeV2 = 2 (mocks.config_override): 5 events give 2, 2, 1 (spec §8.4)", ROUTER,
     router([message("Search", {}, f"s{i}") for i in range(5)], config("v2")),
     [(R + "/0/metadata/1/jobId", 2), (R + "/1/metadata/0/jobId", 3), (R + "/2/metadata/0/jobId", 5), (R + "/3", "<absent>")],
     mocks={"config_override": {"maxBatchSizeV2": 2}})
case("router/errors-sorted-by-job-id", "router: an error item sits between batches in jobId order (spec §8.2, §8.5)", ROUTER,
     router([three[0], message("Nope", {}, "bad"), three[2]], config()),
     [(R + "/0/batched", True), (R + "/0/metadata/1/jobId", 3), (R + "/1/statusCode", 400), (R + "/1/batched", False),
      (R + "/1/statTags/feature", "router"), (R + "/1/metadata/0/jobId", 2)])

# ==============================================================================================================
# Mapping coverage (issue 13 §3): the cases below reach every row `replay --coverage` lists (CoverageRow.all) that
# the cases above leave unreached. Each names the rows it pins; spec_model.py derives their whole expected answer,
# except where a description says a value is V8's text that the spec does not give: such values are backed by the
# differential corpus instead (see `check`).

def bare(name, props=None, slug="1", **over):
    """A minimal track message: only what the case is about, so each row's source is the only one present."""
    m = {"type": "track", "event": name, "messageId": f"golden-message-{slug}", "timestamp": "2024-03-01T10:20:30.456Z"}
    if props is not None: m["properties"] = props
    for k, v in over.items():
        if v is None: m.pop(k, None)
        else: m[k] = v
    return m

def dest_with(cfg, over):
    """destination(cfg) with members replaced (a None value removes the member)."""
    d = destination(cfg) | over
    return {k: v for k, v in d.items() if v is not None}

def items(pairs):
    """A processor body from (message, config) pairs; jobIds 1, 2, …"""
    return [{"message": m, "metadata": metadata(i + 1), "destination": destination(c)} for i, (m, c) in enumerate(pairs)]

def router_items(entries):
    """A router body from (message, config, destination overrides, metadata overrides) entries; jobIds 1, 2, …"""
    out = []
    for i, (m, c, dest_over, meta) in enumerate(entries):
        out.append({"message": m, "metadata": metadata(i + 1) if meta is None else meta,
                    "destination": None if c is None else dest_with(c, dest_over)})
    return {"destType": "tiktok_ads", "input": out}

V2 = config("v2")
V2H = config("v2", True)
V1H = config(None, True)

# --- §6.1 v1 rows from their other source paths ----------------------------------------------------------------
case("v1/property-product-fields", "Events 1.0 §6.1 rows from each source path: event_id ← properties.event_id; "
     "content_category, status, content_name; content_id, shop_id (both paths) and order_id ← orderId, as strings; "
     "content_type ← properties.content_type (spec §6.1)", PROCESSOR,
     processor([bare("Product Added", {"event_id": "evt-snake", "category": "Kitchen", "status": "in stock", "name": "Blue mug",
                                       "product_id": 501, "shop_id": 77, "content_type": "product"}, "pf1"),
                bare("Product Added", {"productId": "p-2", "shopId": "s-2", "orderId": 1002}, "pf2")], config()),
     [(J + "/event_id", "evt-snake"), (J + "/properties/content_category", "Kitchen"), (J + "/properties/status", "in stock"),
      (J + "/properties/content_name", "Blue mug"), (J + "/properties/content_id", "501"), (J + "/properties/shop_id", "77"),
      (J + "/properties/content_type", "product"), ("/1/output/body/JSON/properties/content_id", "p-2"),
      ("/1/output/body/JSON/properties/shop_id", "s-2"), ("/1/output/body/JSON/properties/order_id", "1002")])
case("v1/property-context-ad-from-context", "Events 1.0: context.ad is the fallback for properties.context.ad, "
     "copied whole (spec §6.1)", PROCESSOR,
     processor(bare("Search", {}, "ad", context={"ad": {"callback": "cb-ctx", "ad_id": "ad-1"}}), config()),
     [(J + "/context/ad/callback", "cb-ctx"), (J + "/context/ad/ad_id", "ad-1")])
case("v1/user-from-top-level-traits", "Events 1.0: a top-level traits object shadows context.traits for the email "
     "and phone fallbacks (spec §5 traits object, §6.3)", PROCESSOR,
     processor(bare("Search", {}, "tt", traits={"email": "Top@Example.com", "phone": "+15550100111"},
                    context={"traits": {"email": "ctx@example.com", "phone": "+15550100222"}}), config()),
     [(J + "/context/user/email", "Top@Example.com"), (J + "/context/user/phone_number", "+15550100111")])
case("v1/contents-item-content-type", "Events 1.0 contents: a non-array contents is wrapped; items without "
     "content_type take properties.contentType; a present but falsy contentType gives product_group (spec §6.2, R9)",
     PROCESSOR,
     processor([bare("Product Added", {"contentType": "product", "contents": {"content_id": "sku-9", "price": 4}}, "ct1"),
                bare("Product Added", {"contentType": "", "contents": [{"content_id": "sku-1"}]}, "ct2")], config()),
     [(J + "/properties/contents/0/content_type", "product"), (J + "/properties/contents/0/content_id", "sku-9"),
      ("/1/output/body/JSON/properties/contents/0/content_type", "product_group")])
case("v1/products-without-product-id", "Events 1.0: a product without product_id gives content_id \"undefined\" "
     "(spec §6.2, Q8)", PROCESSOR,
     processor(bare("Product Added", {"currency": "USD", "products": [{"name": "Mug", "price": 5}]}, "q8"), config()),
     [(J + "/properties/contents/0/content_id", "undefined"), (J + "/properties/contents/0/content_type", "product")])
case("v1/products-ignored-without-properties", "Events 1.0: products alone map no property, so they are ignored and "
     "no properties key is sent (spec §6.2, Q9)", PROCESSOR,
     processor(bare("Product Added", {"products": [{"product_id": "sku-1", "price": 5}]}, "q9"), config()),
     [(J + "/properties", "<absent>"), (J + "/event", "AddToCart")])
q1_ets = [{"from": "Signed Up", "to": "CompleteRegistration"}, {"from": "Signed Up", "to": "Subscribe"}]
case("v1/hashing-shared-user-object", "Events 1.0, hashing on, two eventsToStandard targets, email and phone in "
     "properties.context.user: the one shared user object is hashed once per target, so both requests show "
     "sha256(sha256(…)); the external id is hashed once (spec §10 Q1)", PROCESSOR,
     processor(bare("Signed Up", {"context": {"user": {"email": "Jane@Example.com", "phone_number": "+15550100199"}}}, "q1",
                    context={"externalId": [{"type": "tiktokExternalId", "id": "cust-1"}]}),
               config(None, True, eventsToStandard=q1_ets)),
     [(J + "/context/user/email", sha_utf8(sha_utf8("jane@example.com"))),
      ("/1/output/body/JSON/context/user/email", sha_utf8(sha_utf8("jane@example.com"))),
      (J + "/context/user/phone_number", sha_utf8(sha_utf8("+15550100199"))),
      (J + "/context/user/external_id", sha_utf8("cust-1"))])

# --- §7.1 v2 rows from their other source paths ----------------------------------------------------------------
case("v2/property-ad-lead-fields", "Events 2.0 §7.1 ad and lead rows, each from its camel-case and its snake-case "
     "source; event_id ← properties.event_id; limited_data_use raw, false kept (spec §7.1)", PROCESSOR,
     processor([bare("Search", {"campaignId": "c-1", "adId": "a-1", "creativeId": "cr-1", "isRetargeting": True,
                                "attributed": False, "attributionType": "click", "attributionProvider": "tiktok",
                                "leadId": "l-1", "leadEventSource": "crm-1"}, "ad1"),
                bare("Search", {"event_id": "evt-snake", "limited_data_use": False, "campaign_id": "c-2", "ad_id": "a-2",
                                "creative_id": "cr-2", "is_retargeting": False, "attribution_type": "view",
                                "attribution_provider": "other", "lead_id": "l-2", "lead_event_source": "crm-2"}, "ad2")], V2),
     [(D + "/ad/campaign_id", "c-1"), (D + "/ad/is_retargeting", True), (D + "/ad/attributed", False),
      (D + "/lead/lead_event_source", "crm-1"), ("/1/output/body/JSON/data/0/event_id", "evt-snake"),
      ("/1/output/body/JSON/data/0/limited_data_use", False), ("/1/output/body/JSON/data/0/ad/ad_id", "a-2"),
      ("/1/output/body/JSON/data/0/lead/lead_id", "l-2")])
case("v2/property-product-fields", "Events 2.0 §7.1 rows from their other source paths: shop_id (both paths) and "
     "order_id ← orderId, as strings; content_type ← properties.content_type (spec §7.1)", PROCESSOR,
     processor([bare("Search", {"shop_id": 77, "content_type": "product_group"}, "pf1"),
                bare("Search", {"shopId": "s-2", "orderId": 1002}, "pf2")], V2),
     [(D + "/properties/shop_id", "77"), (D + "/properties/content_type", "product_group"),
      ("/1/output/body/JSON/data/0/properties/shop_id", "s-2"), ("/1/output/body/JSON/data/0/properties/order_id", "1002")])
case("v2/property-app-fields", "Events 2.0 app rows: properties.appId/appName/appVersion, then the snake-case "
     "properties, then context.app.namespace/name/version (spec §7.1)", PROCESSOR,
     processor([bare("Search", {"appId": "com.example.a", "appName": "A", "appVersion": "1.0"}, "app1"),
                bare("Search", {"app_id": "com.example.b", "app_name": "B", "app_version": "2.0"}, "app2"),
                bare("Search", {}, "app3", context={"app": {"namespace": "com.example.c", "name": "C", "version": "3.0"}})], V2),
     [(D + "/app/app_id", "com.example.a"), ("/1/output/body/JSON/data/0/app/app_name", "B"),
      ("/2/output/body/JSON/data/0/app/app_version", "3.0")])
case("v2/property-page-sources", "Events 2.0 page.url and page.referrer from properties.context.page, then "
     "properties.url/referrer (spec §7.1)", PROCESSOR,
     processor([bare("Search", {"context": {"page": {"url": "https://a.example/1", "referrer": "https://a.example/0"}}}, "pg1",
                     context={"page": {"url": "https://ignored.example/", "referrer": "https://ignored.example/r"}}),
                bare("Search", {"url": "https://b.example/1", "referrer": "https://b.example/0"}, "pg2")], V2),
     [(D + "/page/url", "https://a.example/1"), (D + "/page/referrer", "https://a.example/0"),
      ("/1/output/body/JSON/data/0/page/url", "https://b.example/1")])
case("v2/property-user-sources", "Events 2.0 user rows from each source path: email (properties.context.user, "
     "context.user, traits, properties; lowercased and trimmed), phone (properties.context.user, traits, "
     "properties), ip (properties.context.user, request_ip), locale, user_agent, ttp (both), ttclid (spec §7.1)",
     PROCESSOR,
     processor([bare("Search", {"context": {"user": {"email": "PCU@Example.com", "phone": "+15550100001", "ip": "192.0.2.1",
                                                     "locale": "de-DE", "userAgent": "UA-pcu", "ttp": "ttp-pcu"}}}, "us1"),
                bare("Search", {"ttp": "ttp-prop", "ttclid": "ttclid-1"}, "us2", context={"user": {"email": " CU@Example.com "}},
                     traits={"phone": "+15550100002"}, request_ip="198.51.100.9"),
                bare("Search", {"phone": "+15550100003"}, "us3", traits={"email": "Traits@Example.com"}),
                bare("Search", {"email": "Prop@Example.com"}, "us4")], V2),
     [(D + "/user/email", "pcu@example.com"), (D + "/user/user_agent", "UA-pcu"), (D + "/user/locale", "de-DE"),
      ("/1/output/body/JSON/data/0/user/email", "cu@example.com"), ("/1/output/body/JSON/data/0/user/ip", "198.51.100.9"),
      ("/1/output/body/JSON/data/0/user/ttclid", "ttclid-1"), ("/2/output/body/JSON/data/0/user/phone", "+15550100003"),
      ("/3/output/body/JSON/data/0/user/email", "prop@example.com")])
case("v2/property-user-location-sources", "Events 2.0 user.city, country and state from context.traits, "
     "context.traits.address and properties; state reads the address first (spec §7.1)", PROCESSOR,
     processor([bare("Search", {}, "loc1", context={"traits": {"city": "Lyon", "country": "FR", "state": "ARA"}}),
                bare("Search", {}, "loc2", context={"traits": {"state": "ignored", "address": {"city": "Turin", "country": "IT",
                                                                                             "state": "Piedmont"}}}),
                bare("Search", {"city": "Austin", "country": "US", "state": "TX"}, "loc3")], V2),
     [(D + "/user/city", "Lyon"), ("/1/output/body/JSON/data/0/user/state", "Piedmont"),
      ("/2/output/body/JSON/data/0/user/country", "US")])
NAME_PATHS = [("traits", "firstName", "lastName"), ("traits", "firstname", "lastname"), ("traits", "first_name", "last_name"),
              ("context.traits", "firstname", "lastname"), ("context.traits", "first_name", "last_name")]
def at(path, value):
    for key in reversed(path.split(".")): value = {key: value}
    return value
name_events = []
for i, (where, first_key, last_key) in enumerate(NAME_PATHS):
    name_events.append(bare("Search", {}, f"nm{i}", **at(where, {first_key: f" First{i} ", last_key: f"LAST{i}"})))
case("v2/property-user-name-sources", "Events 2.0 user.first_name and last_name from each path of the generic name "
     "lists (traits.firstName, firstname, first_name, then context.traits.firstname, first_name): trimmed, "
     "lowercased and hashed whatever hashUserProperties says (spec §5, §7.1)", PROCESSOR, processor(name_events, V2),
     [(D + "/user/first_name", sha_utf16_low("first0")), (D + "/user/last_name", sha_utf16_low("last0")),
      ("/4/output/body/JSON/data/0/user/first_name", sha_utf16_low("first4"))])
ZIP_KEYS = ["zip", "zipcode", "zip_code", "zipCode", "postalcode", "postal_code", "postalCode"]
ZIP_PATHS = (["traits." + k for k in ZIP_KEYS] + ["traits.address." + k for k in ["zipcode", "zip_code", "zip"] + ZIP_KEYS[3:]]
             + ["context.traits." + k for k in ZIP_KEYS] + ["context.traits.address." + k for k in ZIP_KEYS])
zip_events = [bare("Search", {}, f"zip{i}", **at(p, f"Z {i:02d}-0")) for i, p in enumerate(ZIP_PATHS)]
case("v2/property-user-zip-code-sources", "Events 2.0 user.zip_code from each of the 28 paths of the generic zip list, "
     "one event per path: spaces and dashes removed, then hashed (spec §5, §7.1)", PROCESSOR, processor(zip_events, V2),
     [(D + "/user/zip_code", sha_utf16_low("Z000")), ("/27/output/body/JSON/data/0/user/zip_code", sha_utf16_low("Z270"))])
dev = {"advertisingId": " AbC-Ad-1 ", "id": "idfv-1"}
case("v2/device-ids-and-os-pruning", "Events 2.0, hashing on: idfa (trimmed, hashed, hex lowercased) and gaid "
     "(trimmed, lowercased, hashed) from context.device.advertisingId, idfv from context.device.id; an Apple OS drops "
     "gaid, Android drops idfa and idfv, another OS keeps all; att_status uppercased and kept if allowed (spec §7.1, §7.4)",
     PROCESSOR,
     processor([bare("Search", {"att_status": "authorized"}, "dev1", context={"device": dev, "os": {"name": "iOS"}}),
                bare("Search", {"att_status": "maybe"}, "dev2", context={"device": dev, "os": {"name": "Android"}}),
                bare("Search", {}, "dev3", context={"device": dev, "os": {"name": "windows"}})], V2H),
     [(D + "/user/idfa", sha_utf16_low("AbC-Ad-1")), (D + "/user/gaid", "<absent>"), (D + "/user/idfv", "idfv-1"),
      (D + "/user/att_status", "AUTHORIZED"), ("/1/output/body/JSON/data/0/user/gaid", sha_utf16_low("abc-ad-1")),
      ("/1/output/body/JSON/data/0/user/idfa", "<absent>"), ("/1/output/body/JSON/data/0/user/att_status", "<absent>"),
      ("/2/output/body/JSON/data/0/user/idfv", "idfv-1")])
case("v2/property-event-source-snake-case", "Events 2.0: properties.event_source selects event_source when "
     "eventSource is absent (spec §7.5)", PROCESSOR,
     processor(bare("Search", {"event_source": "offline"}, "es"), V2), [(B + "/event_source", "offline")])
case("v2/contents-wrapped", "Events 2.0: a non-array properties.contents is wrapped in an array, and gives "
     "contents_ids and num_items (spec §7.2)", PROCESSOR,
     processor(bare("Search", {"contents": {"content_id": "sku-7", "price": 3}}, "wrap"), V2),
     [(D + "/properties/contents/0/content_id", "sku-7"), (D + "/properties/contents_ids", ["sku-7"])])
case("v2/products-without-product-id", "Events 2.0: a product without product_id gives content_id \"undefined\", "
     "which counts in contents_ids (spec §7.2, Q8)", PROCESSOR,
     processor(bare("Product Added", {"products": [{"name": "Mug", "price": 5}]}, "q8"), V2),
     [(D + "/properties/contents/0/content_id", "undefined"), (D + "/properties/contents_ids", ["undefined"])])
case("v2/test-event-code-empty", "Events 2.0 copies test_event_code raw: \"\" reaches the body (spec §7.5, Q11)",
     PROCESSOR, processor(bare("Search", {"testEventCode": ""}, "q11"), V2), [(B + "/test_event_code", "")])
case("v2/hashing-email-array", "Events 2.0: an array of emails becomes one comma-joined lowercased string, hashed as "
     "one value (spec §7.1, Q6)", PROCESSOR,
     processor(bare("Search", {}, "q6", context={"traits": {"email": ["A@Example.com", "b@example.com"]}}), V2H),
     [(D + "/user/email", sha_utf16_low("a@example.com,b@example.com"))])
case("v2/timestamp-boolean", "Events 2.0: a boolean timestamp counts as present and gives event_time 0 (R10)",
     PROCESSOR, processor(bare("Search", {}, "r10", timestamp=True), V2), [(D + "/event_time", 0)])
case("v2/timestamp-without-offset", "Events 2.0: date-times without an offset, with T or a space, are read as UTC "
     "(spec §10 Q20)", PROCESSOR,
     processor([bare("Search", {}, "q20a", timestamp="2024-03-01T10:20:30"),
                bare("Search", {}, "q20b", timestamp="2024-03-01 10:20:30")], V2),
     [(D + "/event_time", 1709288430), ("/1/output/body/JSON/data/0/event_time", 1709288430)])
case("v2/trim-non-ascii-whitespace", "Events 2.0: JavaScript's trim removes non-ASCII white space (U+00A0, U+3000, "
     "U+FEFF) around the email and a first name before they are lowercased and hashed (R2b)", PROCESSOR,
     processor(bare("Search", {}, "r2b", context={"traits": {"email": "\u00a0Jane@Example.com\u3000",
                                                          "firstName": "\ufeffJane\u00a0"}}), V2H),
     [(D + "/user/email", sha_utf16_low("jane@example.com")), (D + "/user/first_name", sha_utf16_low("jane"))])

# --- §4 event names ---------------------------------------------------------------------------------------------
UNDOCUMENTED = ["Purchase", "Lead", "CustomizeProduct", "FindLocation", "Schedule", "Application Approval",
                "Submit Application", "Start Trial"]
for suite, cfg, ver in [("v1", config(), "1.0"), ("v2", V2, "2.0")]:
    case(f"mapping/builtin-names-not-in-readme-{suite}", f"Events {ver}: the eight built-in names upstream's code maps "
         "but its README does not list, one event each (spec §4, Q16)", PROCESSOR,
         processor([bare(n, {}, f"q16-{i}") for i, n in enumerate(UNDOCUMENTED)], cfg),
         [((J if suite == "v1" else D) + "/event", "Purchase"),
          ("/7/output/body/JSON" + ("" if suite == "v1" else "/data/0") + "/event", "StartTrial")])
case("mapping/events-to-standard-one-target-v2", "Events 2.0: an eventsToStandard row maps a custom name to one "
     "standard event, its `to` used verbatim (spec §4, Q15)", PROCESSOR,
     processor(bare("Trial Started", {}, "ets-one"), config("v2", eventsToStandard=[{"from": "trial started", "to": "StartTrial"}])),
     [(D + "/event", "StartTrial"), (D + "/properties", "<absent>")])
case("mapping/object-member-event-name", "An event named __proto__ is found in upstream's lookup object with "
     "nothing to iterate: v1 yields no output item, v2 a request with data: [] (R1)", PROCESSOR,
     items([(bare("__proto__", {}, "r1a"), config()), (bare("__proto__", {}, "r1b"), V2)]),
     [("/0/metadata/jobId", 2), ("/0/output/body/JSON/data", []), ("/1", "<absent>")])

# --- §3 checks and the places upstream's JavaScript throws -----------------------------------------------------
def both(msg_v1, msg_v2=None, **cfg_extra):
    return items([(msg_v1, config(**cfg_extra)), (msg_v2 or msg_v1, config("v2", **cfg_extra))])
ERR_TAGS = {"errorCategory": "transformation"}
case("errors/v2-pixel-type-event-checks", "Events 2.0 §3 rules 2–5 in order: pixelCode missing, type missing, type "
     "not track, event missing; the same messages as v1 (spec §3)", PROCESSOR,
     items([(bare("Search", {}, "v2r2"), {k: v for k, v in V2.items() if k != "pixelCode"}),
            (bare("Search", {}, "v2r3", type=None), V2), (bare("Search", {}, "v2r4", type="Page"), V2),
            (bare("Search", {}, "v2r5", event=None), V2)]),
     [("/0/error", "Pixel Code not found. Aborting"), ("/1/error", "Event type is required"),
      ("/2/error", "Event type page is not supported"), ("/3/error", "Event is a required field and should be a string"),
      ("/3/statTags/errorType", "instrumentation")])
case("errors/type-not-string", "A non-string type makes upstream's JavaScript throw when it lowercases it, v1 and "
     "v2: status 500, V8's text, statTags {errorCategory: transformation} (R8, Q21)", PROCESSOR,
     both(bare("Search", {}, "r8", type=5)),
     [("/0/statusCode", 500), ("/0/error", "message.type.toLowerCase is not a function"), ("/1/statTags", ERR_TAGS)])
case("errors/os-name-not-string-v2", "Events 2.0: a non-string context.os.name with a user object throws (R8, Q21)",
     PROCESSOR, processor(bare("Search", {}, "r8os", context={"ip": "203.0.113.7", "os": {"name": 14}}), V2),
     [("/0/statusCode", 500), ("/0/error", "os.toLowerCase is not a function"), ("/0/statTags", ERR_TAGS)])
case("errors/events-to-standard-null-row", "A null eventsToStandard row throws, v1 and v2; the rows are read after "
     "§3 rules 1-6 (a message without type still gets 400) and before the name is resolved (an unmapped name gets the "
     "500, not rule 7's 400) (R5, Q21; the order is upstream's, seen in differential processor case 1972-fuzz, where "
     "R5's \"before anything else\" is too strong)", PROCESSOR,
     items([(bare("Search", {}, "r5null1"), config(eventsToStandard=[None])),
            (bare("Not Mapped", {}, "r5null2"), config("v2", eventsToStandard=[None])),
            (bare("Search", {}, "r5null3", type=None), config(eventsToStandard=[None]))]),
     [("/0/statusCode", 500), ("/0/error", "Cannot read properties of null (reading 'from')"), ("/1/statTags", ERR_TAGS),
      ("/2/statusCode", 400), ("/2/error", "Event type is required")])
case("errors/events-to-standard-from-not-string", "An eventsToStandard row whose from is a number throws, v1 and v2 "
     "(R5, Q21)", PROCESSOR, both(bare("Search", {}, "r5from"), eventsToStandard=[{"from": 5, "to": "Search"}]),
     [("/0/statusCode", 500), ("/1/error", "array[fromKey].toLowerCase is not a function")])
case("errors/events-to-standard-from-object-member", "An eventsToStandard row from \"constructor\" names a member "
     "every object has, and upstream throws adding to it, v1 and v2 (R1, Q21)", PROCESSOR,
     both(bare("Search", {}, "r1from"), eventsToStandard=[{"from": "constructor", "to": "Search"}]),
     [("/0/statusCode", 500), ("/1/error", "hashMap[key].add is not a function")])
case("errors/v1-hash-external-id-array", "Events 1.0, hashing on: an array tiktokExternalId cannot be trimmed, so "
     "upstream throws (spec §3 notes, Q21)", PROCESSOR,
     processor(bare("Search", {}, "q21", context={"externalId": [{"type": "tiktokExternalId", "id": ["a", "b"]}]}), V1H),
     [("/0/statusCode", 500), ("/0/error", "external_id.trim is not a function"), ("/0/statTags", ERR_TAGS)])
case("errors/v1-hash-lone-surrogate", "Events 1.0, hashing on: a lone UTF-16 surrogate in the email fails with "
     "URI malformed (Q19)", PROCESSOR,
     processor(bare("Search", {}, "q19", context={"traits": {"email": "jane\ud800@example.com"}}), V1H),
     [("/0/statusCode", 500), ("/0/error", "URI malformed"), ("/0/statTags", ERR_TAGS)])
DIFF_NOTE = (" The error text is V8's and the spec does not give it: it is backed by the differential corpus "
             "(upstream gives the same text on inputs that reach the same row), not by spec_model.py.")
case("errors/contents-item-null", "A null contents item makes upstream's JavaScript throw, v1 and v2: status 500 and "
     "statTags {errorCategory: transformation} (Q21)." + DIFF_NOTE, PROCESSOR,
     both(bare("Product Added", {"contents": [None]}, "nullc")), [("/0/statusCode", 500), ("/1/statTags", ERR_TAGS)])
case("errors/products-item-null", "A null products item makes upstream's JavaScript throw, v1 and v2 (Q21)." + DIFF_NOTE,
     PROCESSOR, both(bare("Product Added", {"currency": "USD", "products": [None]}, "nullp")),
     [("/0/statusCode", 500), ("/1/statTags", ERR_TAGS)])
case("errors/v2-hash-array-element-null", "Events 2.0, hashing on: a null element of a phone array cannot be made a "
     "string, so upstream throws (spec §7.4, Q21)." + DIFF_NOTE, PROCESSOR,
     processor(bare("Search", {}, "nullh", context={"traits": {"phone": [None]}}), V2H),
     [("/0/statusCode", 500), ("/0/statTags", ERR_TAGS)])
case("errors/message-null", "A null message is treated as {}: 400 Event type is required with the full "
     "instrumentation statTags, not a 500 (R6)", PROCESSOR, processor([None], config()),
     [("/0/statusCode", 400), ("/0/error", "Event type is required"), ("/0/statTags/errorType", "instrumentation")])
case("errors/config-not-object", "A Config that is a string reads as an empty Config: 400 Access Token not found "
     "(v1 text, with its trailing space) (R7)", PROCESSOR,
     [{"message": bare("Search", {}, "r7"), "metadata": metadata(1), "destination": destination("v2")}],
     [("/0/statusCode", 400), ("/0/error", "Access Token not found. Aborting "), ("/0/statTags/errorType", "configuration")])
case("errors/config-null", "A null destination.Config makes upstream throw reading accessToken: status 500 (Q21)."
     + DIFF_NOTE, PROCESSOR,
     [{"message": bare("Search", {}, "cnull"), "metadata": metadata(1), "destination": destination(None)}],
     [("/0/statusCode", 500), ("/0/statTags", ERR_TAGS)])
case("errors/destination-null", "A null destination makes upstream's dynamic-config step throw reading its Config: "
     "status 500 (R4, Q21)." + DIFF_NOTE, PROCESSOR,
     [{"message": bare("Search", {}, "dnull"), "metadata": metadata(1), "destination": None}],
     [("/0/statusCode", 500), ("/0/statTags", ERR_TAGS)])
case("errors/request-item-null", "A request item that is null makes upstream's request pipeline throw: status 500, "
     "statTags {errorCategory: transformation}, no metadata (Q21). Neither the spec nor the differential corpus shows "
     "upstream on this input, so the error text is not pinned (`ignore`); status and statTags come from Q21 and are "
     "backed by spec_model.py.", PROCESSOR, [None],
     [("/0/statusCode", 500), ("/0/statTags", ERR_TAGS), ("/0/metadata", "<absent>")],
     ignore=["/body/0/error"])

# --- The request pipeline around the destination code (upstream-divergences §A) -------------------------------
dyn = config("v2", pixelCode="{{ message.context.pixel || \"FALLBACKPIXEL\" }}",
             accessToken="{{ event.properties.description || \"fallback-token\" }}")
case("pipeline/dynamic-config", "Dynamic config: Config templates are resolved against the event (event. stands "
     "for message.), and each field read is then deleted from the event, so description is not mapped; a missing "
     "field takes the default; hasDynamicConfig absent (R4)", PROCESSOR,
     [{"message": bare("Search", {"description": "token-from-event", "currency": "EUR"}, "dyn1",
                       context={"pixel": "PIXELFROMEVENT"}), "metadata": metadata(1), "destination": destination(dyn) | {"hasDynamicConfig": True}},
      {"message": bare("Search", {"currency": "USD"}, "dyn2"), "metadata": metadata(2),
       "destination": dest_with(dyn, {"hasDynamicConfig": None})}],
     [(B + "/event_source_id", "PIXELFROMEVENT"), ("/0/output/headers/Access-Token", "token-from-event"),
      (D + "/properties/description", "<absent>"), (D + "/properties/currency", "EUR"),
      ("/1/output/body/JSON/event_source_id", "FALLBACKPIXEL"), ("/1/output/headers/Access-Token", "fallback-token")])
case("pipeline/reverse-etl-timestamp", "Reverse ETL: a channel sources track event takes its time from "
     "properties.timestamp first, v1 and v2; with context.mappedToDestination it is left alone (R3)", PROCESSOR,
     items([(bare("Search", {"timestamp": "2024-02-01T00:00:00Z"}, "r3a", channel="sources"), config()),
            (bare("Search", {"timestamp": "2024-02-01T00:00:00Z"}, "r3b", channel="sources"), V2),
            (bare("Search", {"timestamp": "2024-02-01T00:00:00Z"}, "r3c", channel="sources",
                  context={"mappedToDestination": True}), V2)]),
     [(J + "/timestamp", "2024-02-01T00:00:00Z"), ("/1/output/body/JSON/data/0/event_time", 1706745600),
      ("/2/output/body/JSON/data/0/event_time", 1709288430)])

# --- §8 router: the rows the batching cases above leave --------------------------------------------------------
def rmsg(name, slug, props=None, **over): return bare(name, props if props is not None else {}, slug, **over)
case("router/empty-input", "An empty router input is refused as a whole: one 400 item \"Invalid event array\" "
     "whose metadata carries the request's destType (R17)", ROUTER, {"destType": "tiktok_ads", "input": []},
     [(R + "/0/statusCode", 400), (R + "/0/error", "Invalid event array"), (R + "/0/metadata/0/destType", "tiktok_ads")])
case("router/sorted-by-min-job-id", "Router: an error with the smallest jobId sorts before the batch (spec §8.5)",
     ROUTER, router([rmsg("Nope", "s1"), rmsg("Search", "s2"), rmsg("Search", "s3")], config()),
     [(R + "/0/statusCode", 400), (R + "/0/metadata/0/jobId", 1), (R + "/1/metadata/1/jobId", 3)])
case("router/several-destinations", "Router: two destination IDs form two groups; the output holds them one after "
     "the other in first-appearance order, not re-sorted by jobId across groups (spec §8.1)", ROUTER,
     router_items([(rmsg("Search", "g1"), config(), {"ID": "dest-b"}, None),
                   (rmsg("Search", "g2"), config(), {"ID": "dest-a"}, None),
                   (rmsg("Search", "g3"), config(), {"ID": "dest-b"}, None)]),
     [(R + "/0/metadata/1/jobId", 3), (R + "/0/destination/ID", "dest-b"), (R + "/1/metadata/0/jobId", 2)])
dynr = config("v2", pixelCode="{{ message.context.pixel || \"FALLBACKPIXEL\" }}")
case("router/dynamic-config-groups", "Router with dynamic config (hasDynamicConfig absent): each event's Config is "
     "resolved first, and the resolved Configs group the events; destination echoes the resolved Config (R4, §8.1)",
     ROUTER,
     router_items([(rmsg("Search", "d1", context={"pixel": "PIXA"}), dynr, {"hasDynamicConfig": None}, None),
                   (rmsg("Search", "d2", context={"pixel": "PIXB"}), dynr, {"hasDynamicConfig": None}, None),
                   (rmsg("Search", "d3", context={"pixel": "PIXA"}), dynr, {"hasDynamicConfig": None}, None)]),
     [(R + "/0/batchedRequest/body/JSON/event_source_id", "PIXA"), (R + "/0/metadata/1/jobId", 3),
      (R + "/1/destination/Config/pixelCode", "PIXB")])
case("router/null-destination", "Router: an event whose destination is null fails the whole request: one 500 item "
     "with every event's metadata and statTags {errorCategory: transformation} (R13)." + DIFF_NOTE, ROUTER,
     router_items([(rmsg("Search", "n1"), config(), {}, None), (rmsg("Search", "n2"), None, {}, None)]),
     [(R + "/0/statusCode", 500), (R + "/0/metadata/1/jobId", 2), (R + "/0/statTags", ERR_TAGS), (R + "/1", "<absent>")])
pre_v1 = {"statusCode": 200, "version": "1", "type": "REST", "method": "POST", "endpoint": V1_TRACK,
          "endpointPath": "pixel/track", "headers": {"Access-Token": TOKEN, "Content-Type": "application/json"},
          "params": {}, "files": {}, "body": {"JSON": {"pixel_code": PIXEL, "event": "Search", "event_id": "pre-1",
                                                       "partner_name": "RudderStack"}, "JSON_ARRAY": {}, "XML": {}, "FORM": {}}}
case("router/pre-transformed-input", "Router, Events 1.0: a message with a truthy statusCode is taken as already "
     "transformed and settles synchronously, so it comes first in the batch (spec §8.2, Q17, R16)", ROUTER,
     router([rmsg("Search", "p1"), pre_v1], config()),
     [(R + "/0/metadata/0/jobId", 2), (R + "/0/batchedRequest/body/JSON/batch/0/event_id", "pre-1"),
      (R + "/0/batchedRequest/body/JSON/batch/1/event_id", "golden-message-p1")])
pre_no_json = {"statusCode": 200, "body": {"XML": {}}}
case("router/pre-transformed-without-body-json", "Router: a pre-transformed message without body.JSON makes the "
     "per-event step throw reading its test_event_code: a 500 item for that event (spec §8.2, Q17, Q21)", ROUTER,
     router([rmsg("Search", "b1"), pre_no_json], config()),
     [(R + "/1/statusCode", 500), (R + "/1/error", "Cannot read properties of undefined (reading 'test_event_code')"),
      (R + "/1/statTags/feature", "router")])
pre_v2 = {"statusCode": 200, "body": {"JSON": {"event_source": "web", "event_source_id": PIXEL}}}
case("router/pre-transformed-v2-without-data", "Router, Events 2.0: a pre-transformed body without data cannot be "
     "iterated and the whole group fails: one 500 item with the group's metadata (R14)", ROUTER,
     router([rmsg("Search", "w1"), pre_v2], V2),
     [(R + "/0/statusCode", 500), (R + "/0/error", "eventData is not iterable (cannot read property undefined)"),
      (R + "/0/metadata/1/jobId", 2)])
case("router/v1-object-member-event-name", "Router, Events 1.0: an event named __proto__ makes no request, and the "
     "per-event step throws reading the first request's body (R1, spec §8.2, Q21)", ROUTER,
     router([rmsg("Search", "o1"), rmsg("__proto__", "o2")], config()),
     [(R + "/1/statusCode", 500), (R + "/1/error", "Cannot read properties of undefined (reading 'body')")])
case("router/mixed-versions-one-destination", "Router, one destination ID, hasDynamicConfig false, the first Config "
     "v1 and the second v2: the group is v1, the v2-configured event is transformed the v2 way and settles after "
     "the v1 events, so the batch holds jobs 1, 3, 2, its v2 body an item of batch[] (spec §8.1, R16)", ROUTER,
     router([rmsg("Search", "m1"), rmsg("Search", "m2"), rmsg("Search", "m3")], [config(), V2, config()]),
     [(R + "/0/metadata/1/jobId", 3), (R + "/0/metadata/2/jobId", 2),
      (R + "/0/batchedRequest/body/JSON/batch/2/event_source_id", PIXEL), (R + "/0/batchedRequest/body/JSON/batch/2/type", "track")])
case("router/v2-group-v1-event", "Router, one destination ID, hasDynamicConfig false, the first Config v2: an event "
     "configured for v1 is transformed the v2 way (spec §8.1, Q14)", ROUTER,
     router([rmsg("Search", "q14a"), rmsg("Search", "q14b")], [V2, config()]),
     [(R + "/0/batchedRequest/body/JSON/data/1/event_time", 1709288430), (R + "/1", "<absent>")])
ets2 = config("v2", eventsToStandard=[{"from": "Signed Up", "to": "CompleteRegistration"}, {"from": "Signed Up", "to": "Subscribe"}])
case("router/v2-empty-batch-sorted-last", "Router, Events 2.0, maxBatchSizeV2 = 1: the first event has two data "
     "entries, so an empty batch is flushed first; it has no jobId and sorts last (spec §8.4, R12)", ROUTER,
     router([rmsg("Signed Up", "e1"), rmsg("Search", "e2")], ets2),
     [(R + "/0/metadata/0/jobId", 1), (R + "/1/metadata/0/jobId", 2), (R + "/2/metadata", []),
      (R + "/2/batchedRequest/body/JSON/data", [])], mocks={"config_override": {"maxBatchSizeV2": 1}})
no_job = {k: v for k, v in metadata(0).items() if k != "jobId"}
case("router/metadata-without-job-id", "Router: a batch (jobId 5), a test event without jobId and an error (jobId 1) "
     "are sorted by V8's sort with a comparator that yields NaN, which ECMA-262's SortCompare counts as 0: the three "
     "form one ascending run, so jobId 5 stays before jobId 1 (spec §8.5, R18)", ROUTER,
     router_items([(rmsg("Search", "j1"), config(), {}, metadata(5)),
                   (rmsg("Search", "j2", {"testEventCode": "T1"}), config(), {}, no_job),
                   (rmsg("Nope", "j3"), config(), {}, metadata(1))]),
     [(R + "/0/batched", True), (R + "/0/metadata/0/jobId", 5), (R + "/1/batched", False),
      (R + "/1/metadata/0/jobId", "<absent>"), (R + "/2/statusCode", 400), (R + "/2/metadata/0/jobId", 1)])

# --------------------------------------------------------------------------------------------------------------
def path_of(name): return os.path.join(ROOT, name + ".json")

def canonical(v):  # as the JSON module writes it: lone surrogates (Q19's input) as \udXXX escapes
    text = json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False)
    return "".join("\\u%04x" % ord(ch) if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text) + "\n"

def write():
    written = kept = 0
    for c in CASES:
        p = path_of(c["name"])
        doc = {"description": c["description"], "route": c["route"], "input": c["input"],
               "expected": {"status": 200, "body": None}}
        if c["mocks"]: doc["mocks"] = c["mocks"]
        if c["ignore"]: doc["ignore"] = c["ignore"]
        if os.path.exists(p):
            old = json.load(open(p, encoding="utf-8"))
            if old.get("input") == doc["input"] and old.get("mocks") == doc.get("mocks") and old.get("ignore") == doc.get("ignore"):
                doc["expected"] = old["expected"]; kept += 1
            else: written += 1
        else: written += 1
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w", encoding="utf-8").write(canonical(doc))
    print(f"{len(CASES)} cases: {written} new or changed (run replay --update), {kept} kept")

def lookup(v, pointer):
    for tok in pointer.split("/")[1:]:
        tok = tok.replace("~1", "/").replace("~0", "~")
        if isinstance(v, list):
            if not tok.isdigit() or int(tok) >= len(v): return "<absent>"
            v = v[int(tok)]
        elif isinstance(v, dict):
            if tok not in v: return "<absent>"
            v = v[tok]
        else: return "<absent>"
    return v

def leaves(v, pointer=""):
    """Every leaf of a JSON value (scalars, empty arrays and objects) as (JSON Pointer, value)."""
    if isinstance(v, dict) and v:
        for k, x in v.items(): yield from leaves(x, pointer + "/" + k.replace("~", "~0").replace("/", "~1"))
    elif isinstance(v, list) and v:
        for i, x in enumerate(v): yield from leaves(x, pointer + "/" + str(i))
    else:
        yield pointer, v


def same(a, b):  # JSON equality: numbers by value, booleans only equal booleans
    if isinstance(a, bool) or isinstance(b, bool): return type(a) is type(b) and a == b
    return a == b


def ignored(pointer, patterns):
    """`pointer` (into the case's `expected`) matches one of the case's `ignore` patterns (`*` = any array index)."""
    parts = pointer.split("/")
    for pattern in patterns or []:
        want = pattern.split("/")
        if len(want) <= len(parts) and all(w == p or (w == "*" and p.isdigit()) for w, p in zip(want, parts)):
            return True
    return False


SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "conformance", "differential")


def harness_binary():
    if os.environ.get("TIKTOK_HARNESS"): return os.environ["TIKTOK_HARNESS"]
    package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=package, capture_output=True, text=True,
                              check=True).stdout.strip()
    return os.path.join(bin_path, "tiktok-harness")


def differential_texts():
    """For each coverage row (`kind: row`), the error texts upstream gave in the differential cases that reach it
    and that the transformer passes exactly: `replay --coverage` on ../shared/conformance/differential/."""
    files = [os.path.join(SHARED, f) for f in ("processor.json", "router.json")]
    binary = harness_binary()
    if not os.path.exists(binary): sys.exit(f"check: {binary} is missing; run `swift build` first")
    with tempfile.TemporaryDirectory() as tmp:
        cov, rep = os.path.join(tmp, "coverage.json"), os.path.join(tmp, "report.json")
        subprocess.run([binary, "replay", "--quiet", *files, "--coverage", cov, "--report", "json", rep],
                       capture_output=True, check=False)
        coverage, report = json.load(open(cov, encoding="utf-8")), json.load(open(rep, encoding="utf-8"))
    passed = {c["name"] for c in report["cases"] if c["status"] == "passed"}
    errors = {}
    for f in files:
        for c in json.load(open(f, encoding="utf-8")):
            body = c["expected"]["body"]
            out = body["output"] if isinstance(body, dict) else body
            errors[c["name"]] = {o["error"] for o in out if isinstance(o, dict) and isinstance(o.get("error"), str)}
    return {f"{r['kind']}: {r['row']}": {(t, n) for n in r["cases"] if n in passed for t in errors.get(n, ())}
            for r in coverage["coverage"]}


def model_against_upstream(spec_model):
    """The spec model on every case of ../shared/conformance/differential/ (upstream's own answers): the number of
    cases it models and agrees with exactly, and the names of those it gets wrong. V8Text and Unknown leaves are
    left out, as in check."""
    agree, wrong = 0, []
    for f in ("processor.json", "router.json"):
        for c in json.load(open(os.path.join(SHARED, f), encoding="utf-8")):
            try:
                model = dict(leaves(spec_model.expected(c["route"], c["input"], c.get("mocks"))))
            except spec_model.NotModelled:
                continue
            upstream = dict(leaves(c["expected"]))
            if all(isinstance(model.get(p), (spec_model.V8Text, spec_model.Unknown))
                   or same(model.get(p, "<absent>"), upstream.get(p, "<absent>")) for p in set(model) | set(upstream)):
                agree += 1
            else:
                wrong.append(c["name"])
    return agree, wrong


def check():
    """Each case's spot checks, then every leaf of its pinned `expected` against the spec model (spec_model.py).
    A V8 error text the spec does not quote must be one upstream gave on a differential case that reaches the same
    coverage row (and that the transformer passes). Prints the share of pinned values each backs; fails on any
    disagreement."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import spec_model
    bad = total = spot = modelled = skipped = 0
    not_modelled, claims = [], []
    show = lambda v: json.dumps(v, ensure_ascii=False, default=repr)[:100]
    for c in CASES:
        doc = json.load(open(path_of(c["name"]), encoding="utf-8"))
        body = doc["expected"]["body"]
        if body is None:
            print(f"{c['name']}: expected not filled in yet"); bad += 1; continue
        pinned = {p: v for p, v in leaves(doc["expected"]) if not ignored(p, c["ignore"])}
        skipped += sum(1 for p, _ in leaves(doc["expected"]) if ignored(p, c["ignore"]))
        total += len(pinned)
        for pointer, want in c["checks"]:
            got = lookup(body, pointer)
            if got != want or type(got) is bool and type(want) is not bool:
                print(f"{c['name']}: {pointer}: spec says {json.dumps(want)}, pinned {json.dumps(got)[:120]}"); bad += 1
            spot += sum(1 for p in pinned if p == "/body" + pointer or p.startswith("/body" + pointer + "/"))
        try:
            model = spec_model.expected(c["route"], c["input"], c["mocks"])
        except spec_model.NotModelled as e:
            not_modelled.append(f"{c['name']} ({e})"); continue
        derived = {p: v for p, v in leaves(model) if not ignored(p, c["ignore"])}
        for pointer in sorted(set(pinned) | set(derived)):
            a, b = derived.get(pointer, "<absent>"), pinned.get(pointer, "<absent>")
            if isinstance(a, spec_model.V8Text) and isinstance(b, str):
                claims.append((c["name"], pointer, a.row, b))
            elif same(a, b):
                modelled += 1
            else:
                print(f"{c['name']}: {pointer}: spec model says {show(a)}, pinned {show(b)}"); bad += 1
    for n in not_modelled: print(f"not modelled: {n}")
    backed = 0
    if claims and not os.path.isdir(SHARED):
        print(f"{len(claims)} V8 error texts not verified: {SHARED} is absent")
    elif claims:
        texts = differential_texts()
        for name, pointer, row, text in claims:
            witnesses = sorted(n for t, n in texts.get(row, ()) if t == text)
            if witnesses:
                backed += 1
                print(f"differential: {name}: {pointer} = {json.dumps(text)}: upstream gives it in {witnesses[0]} "
                      f"({len(witnesses)} cases reaching '{row}')")
            else:
                print(f"{name}: {pointer}: no differential case reaching '{row}' shows upstream giving {json.dumps(text)}")
                bad += 1
    if os.path.isdir(SHARED):
        agree, wrong = model_against_upstream(spec_model)
        for name in wrong: print(f"spec model differs from upstream on {name}")
        bad += len(wrong)
        print(f"the spec model agrees with upstream on {agree} differential cases (the others are not modelled), "
              f"differs on {len(wrong)}")
    print(f"{len(CASES)} cases, {sum(len(c['checks']) for c in CASES)} spot checks covering {spot} of {total} pinned "
          f"values ({100 * spot / max(total, 1):.1f} %); the spec model backs {modelled} of {total} "
          f"({100 * modelled / max(total, 1):.1f} %, {len(not_modelled)} cases not modelled), upstream's answers in "
          f"the differential corpus back {backed} ({100 * backed / max(total, 1):.1f} %); {skipped} ignored values "
          f"not pinned; {bad} disagreements")
    return bad == 0

if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["write", "check"], help="write the case inputs, or check the pinned outputs")
    if ap.parse_args().action == "write": write()
    else: sys.exit(0 if check() else 1)
