#!/usr/bin/env python3
"""Builds the inputs of the starting golden corpus in Golden/ and checks the pinned outputs against the spec.

    python3 Scripts/golden/generate.py write   # (re)write case inputs; keeps `expected` when the input is unchanged
    swift run tiktok-harness replay --update   # fill/refresh `expected` for new or changed cases (locally, not in CI)
    python3 Scripts/golden/generate.py check   # check every pinned output against transformer-spec.md

Each case below carries `checks`: (JSON Pointer into expected.body, value) pairs read off the spec (section noted),
so an expected value is never just "whatever the transformer printed". `check` also derives each case's whole
expected answer from spec_model.py (an independent model of the spec) and compares every pinned value with it.
It fails loudly when either disagrees, and prints the share of pinned values each backs.
Cases are plain data; add one by appending to CASES.
"""
import hashlib, json, os, sys

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
def case(name, description, route, input, checks, mocks=None):
    CASES.append({"name": name, "description": description, "route": route, "input": input, "checks": checks, "mocks": mocks})

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

# --------------------------------------------------------------------------------------------------------------
def path_of(name): return os.path.join(ROOT, name + ".json")

def canonical(v): return json.dumps(v, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

def write():
    written = kept = 0
    for c in CASES:
        p = path_of(c["name"])
        doc = {"description": c["description"], "route": c["route"], "input": c["input"],
               "expected": {"status": 200, "body": None}}
        if c["mocks"]: doc["mocks"] = c["mocks"]
        if os.path.exists(p):
            old = json.load(open(p, encoding="utf-8"))
            if old.get("input") == doc["input"] and old.get("mocks") == doc.get("mocks"):
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


def check():
    """Each case's spot checks, then every leaf of its pinned `expected` against the spec model (spec_model.py).
    Prints the share of pinned values each backs; fails on any disagreement."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import spec_model
    bad = total = spot = modelled = 0
    not_modelled = []
    for c in CASES:
        doc = json.load(open(path_of(c["name"]), encoding="utf-8"))
        body = doc["expected"]["body"]
        if body is None:
            print(f"{c['name']}: expected not filled in yet"); bad += 1; continue
        pinned = dict(leaves(doc["expected"]))
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
        derived = dict(leaves(model))
        for pointer in sorted(set(pinned) | set(derived)):
            a, b = derived.get(pointer, "<absent>"), pinned.get(pointer, "<absent>")
            if same(a, b):
                modelled += 1
            else:
                print(f"{c['name']}: {pointer}: spec model says {json.dumps(a)[:100]}, pinned {json.dumps(b)[:100]}"); bad += 1
    for n in not_modelled: print(f"not modelled: {n}")
    print(f"{len(CASES)} cases, {sum(len(c['checks']) for c in CASES)} spot checks covering {spot} of {total} pinned "
          f"values ({100 * spot / max(total, 1):.1f} %); the spec model backs {modelled} of {total} "
          f"({100 * modelled / max(total, 1):.1f} %, {len(not_modelled)} cases not modelled); {bad} disagreements")
    return bad == 0

if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["write", "check"], help="write the case inputs, or check the pinned outputs")
    if ap.parse_args().action == "write": write()
    else: sys.exit(0 if check() else 1)
