"""An independent model of the TikTok Ads transformer, written from ../shared/spec/transformer-spec.md (section
numbers below) and nothing else, so that `generate.py check` can back every value of a pinned golden output, not
only the spot checks each case names.

It covers what the golden inputs of generate.py use: processor and router, Events 1.0 and 2.0, every row of the
§6.1 and §7.1 mapping tables, contents (§6.2, §7.2, §7.3), user fields and hashing (§6.3, §6.4, §7.4), event names
(§4), validation (§3), envelopes (§6.5, §7.5, §12) and batching (§8). It does not model the JavaScript engine
details of upstream-divergences.md (number text, V8's Date.parse beyond ISO 8601, prototype lookups): an input that
needs them is reported as not modelled, never guessed.
"""
import hashlib, json, re
from datetime import datetime, timezone

BASE = "https://business-api.tiktok.com/open_api/v1.3/"
BUILTIN = {  # §4
    "product added to wishlist": "AddToWishlist", "product added": "AddToCart", "checkout started": "InitiateCheckout",
    "payment info entered": "AddPaymentInfo", "checkout step completed": "CompletePayment",
    "order completed": "PlaceAnOrder", "viewcontent": "ViewContent", "clickbutton": "ClickButton", "search": "Search",
    "contact": "Contact", "download": "Download", "submitform": "SubmitForm",
    "completeregistration": "CompleteRegistration", "subscribe": "Subscribe", "purchase": "Purchase", "lead": "Lead",
    "customizeproduct": "CustomizeProduct", "findlocation": "FindLocation", "schedule": "Schedule",
    "application approval": "ApplicationApproval", "submit application": "SubmitApplication",
    "start trial": "StartTrial"}
V2_PRODUCT_EVENTS = {"AddToCart", "CompletePayment", "PlaceAnOrder", "ViewContent"}  # §7.3
EVENT_SOURCES = {"web", "app", "offline", "crm"}  # §7.5
ATT = {"AUTHORIZED", "DENIED", "NOT_DETERMINED", "RESTRICTED", "NOT_APPLICABLE"}
MISSING = object()


class NotModelled(Exception):
    """The input needs behaviour this model leaves out."""


class TransformError(Exception):
    def __init__(self, message, error_type):
        super().__init__(message)
        self.message, self.error_type = message, error_type


# --- §5 shared semantics ----------------------------------------------------------------------------------------
def is_num(v): return isinstance(v, (int, float)) and not isinstance(v, bool)


def truthy(v):  # JavaScript truthiness
    if v is MISSING or v is None or v is False: return False
    if is_num(v): return v != 0 and v == v
    if isinstance(v, str): return v != ""
    return True


def writable(v): return truthy(v) or v is False or (is_num(v) and v == 0)  # "truthy, 0 or false"


def lodash_empty(v):  # §5: numbers and booleans count as empty
    if isinstance(v, (str, list, dict)): return len(v) == 0
    return True


def get(obj, path):
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj: return MISSING
        obj = obj[key]
    return obj


def first(msg, paths):
    for p in paths:
        v = get(msg, p)
        if writable(v): return v
    return MISSING


def put(obj, path, value):
    keys = path.split(".")
    for k in keys[:-1]:
        if not isinstance(obj.get(k), dict): obj[k] = {}
        obj = obj[k]
    obj[keys[-1]] = value


def js_string(v):  # String(v)
    if v is MISSING: return "undefined"
    if v is None: return "null"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21: return str(int(v))
    if isinstance(v, float): raise NotModelled("JavaScript number text of %r" % v)
    if isinstance(v, list): return ",".join("" if x is None else js_string(x) for x in v)
    if isinstance(v, dict): return "[object Object]"
    return str(v)


def trim(v): return v.strip(" \t\n\r\f\v\u00a0\ufeff") if isinstance(v, str) else v


def sha_utf8(s): return hashlib.sha256(s.encode("utf-8")).hexdigest()  # v1 user fields (§5)


def sha_utf16_low(s):  # hashToSha256: the low byte of every UTF-16 code unit (§5, Q18)
    units = s.encode("utf-16-le", "surrogatepass")
    return hashlib.sha256(bytes(units[i] for i in range(0, len(units), 2))).hexdigest()


ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$")


def seconds(v):  # secondTimestamp (§5): epoch-ms passes through, else floor(Date.parse / 1000)
    if (is_num(v) and float(v).is_integer()) or (isinstance(v, str) and v.isdigit()): return v
    if not isinstance(v, str): raise NotModelled("a non-string timestamp %r" % (v,))
    m = ISO.match(v)
    if not m:
        if v == "not a date": return MISSING  # plainly no date
        raise NotModelled("Date.parse of %r" % v)
    y, mo, d, h, mi, s, frac, zone = m.groups()
    dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=timezone.utc)
    epoch = int(dt.timestamp())
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        epoch -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return epoch  # milliseconds are truncated


def traits_of(msg):  # §5: the first truthy of traits, context.traits
    t = get(msg, "traits")
    return t if truthy(t) else get(msg, "context.traits")


def external_id(msg):  # §5: the first tiktokExternalId entry of context.externalId
    ids = get(msg, "context.externalId")
    if not isinstance(ids, list): return MISSING
    for e in ids:
        if isinstance(e, dict) and e.get("type") == "tiktokExternalId": return e.get("id", MISSING)
    return MISSING


# --- §3, §4 -------------------------------------------------------------------------------------------------------
def validate(msg, cfg, v2):
    if not truthy(cfg.get("accessToken", MISSING)):
        raise TransformError("Access Token not found. Aborting" + ("" if v2 else " "), "configuration")
    if not truthy(cfg.get("pixelCode", MISSING)): raise TransformError("Pixel Code not found. Aborting", "configuration")
    t = get(msg, "type")
    if not truthy(t): raise TransformError("Event type is required", "instrumentation")
    if not isinstance(t, str): raise NotModelled("a non-string type")
    if t.lower() != "track": raise TransformError("Event type %s is not supported" % t.lower(), "instrumentation")
    event = get(msg, "event")
    if not isinstance(event, str) or event == "":
        raise TransformError("Event is a required field and should be a string", "instrumentation")
    if v2 and trim(event) == "": raise TransformError("Event name is required", "instrumentation")
    return event


def event_names(event, cfg):
    norm = trim(event).lower()
    mapping = {}
    for row in cfg.get("eventsToStandard") or []:
        key = trim(row.get("from", "")).lower()
        if key == "": continue
        targets = mapping.setdefault(key, [])
        if row.get("to") not in targets: targets.append(row.get("to"))
    if norm in mapping: return mapping[norm]
    if norm in BUILTIN: return [BUILTIN[norm]]
    if truthy(cfg.get("sendCustomEvents", MISSING)): return [event]
    raise TransformError(
        "Event name (%s) is not valid, must be mapped to one of standard events" % norm, "instrumentation")


# --- §6 Events 1.0 ------------------------------------------------------------------------------------------------
V1_ROWS = [  # §6.1: (output path, source paths, to string)
    ("event_id", ["properties.eventId", "properties.event_id", "messageId"], False),
    ("timestamp", ["timestamp"], False), ("test_event_code", ["properties.testEventCode"], False),
    ("properties.contents", ["properties.contents"], False),
    ("properties.content_category", ["properties.category"], False),
    ("properties.status", ["properties.status"], False), ("properties.content_name", ["properties.name"], False),
    ("properties.content_id", ["properties.product_id", "properties.productId"], True),
    ("properties.shop_id", ["properties.shop_id", "properties.shopId"], True),
    ("properties.order_id", ["properties.order_id", "properties.orderId"], True),
    ("properties.content_type", ["properties.contentType", "properties.content_type"], False),
    ("properties.currency", ["properties.currency"], False), ("properties.value", ["properties.value"], False),
    ("properties.description", ["properties.description"], False), ("properties.query", ["properties.query"], False),
    ("context.ad", ["properties.context.ad", "context.ad"], False),
    ("context.ad.callback", ["properties.clickId"], False),
    ("context.page", ["properties.context.page", "context.page"], False),
    ("context.user", ["properties.context.user"], False), ("context.ip", ["context.ip", "request_ip"], False),
    ("context.user_agent", ["context.userAgent"], False)]


def map_rows(msg, rows):
    out = {}
    for path, sources, as_string in rows:
        v = first(msg, sources)
        if v is MISSING: continue
        v = json.loads(json.dumps(v))  # a copy: this model hashes once per target (Q1 is not modelled)
        if as_string: v = js_string(v)
        if writable(v): put(out, path, v)
    return out


def v1_payload(msg, cfg, name):
    p = map_rows(msg, V1_ROWS)
    props = p.get("properties")
    # §6.2 contents
    if props is not None and "contents" in props and not isinstance(props["contents"], list):
        props["contents"] = [props["contents"]]
    products = get(msg, "properties.products")
    if props is not None and "contents" not in props and truthy(products):
        default = first(msg, ["properties.contentType", "properties.content_type"])
        built = []
        for prod in products if isinstance(products, list) else []:
            item = {"content_type": prod.get("contentType") if truthy(prod.get("contentType")) else
                    (default if default is not MISSING else "product"),
                    "content_id": js_string(prod.get("product_id", MISSING)),
                    "content_category": prod.get("category"), "content_name": prod.get("name"),
                    "price": prod.get("price"), "quantity": prod.get("quantity"),
                    "description": prod.get("description"), "brand": prod.get("brand")}
            built.append({k: v for k, v in item.items() if v is not None})
        props["contents"] = built
    if props is not None and isinstance(props.get("contents"), list):
        fallback = get(msg, "properties.contentType")
        for item in props["contents"]:
            if isinstance(item, dict) and "content_type" not in item:
                item["content_type"] = fallback if truthy(fallback) else "product_group"
    # §6.3 user fields
    ext = external_id(msg)
    if not lodash_empty(ext): put(p, "context.user.external_id", ext)
    traits = traits_of(msg)
    for key, trait in [("email", "email"), ("phone_number", "phone")]:
        if lodash_empty(get(p, "context.user." + key)) and truthy(get(traits, trait)):
            put(p, "context.user." + key, get(traits, trait))
    # §6.4 hashing
    if truthy(cfg.get("hashUserProperties", MISSING)):
        user = get(p, "context.user")
        if isinstance(user, dict):
            for key, fold in [("external_id", False), ("email", True), ("phone_number", False)]:
                v = user.get(key, MISSING)
                if v is MISSING or lodash_empty(v): continue
                if not isinstance(v, str): raise NotModelled("hashing a %s %s" % (type(v).__name__, key))
                v = trim(v)
                user[key] = sha_utf8(v.lower() if fold else v)
    body = {"pixel_code": cfg["pixelCode"], "event": name}
    body.update(p)
    body["partner_name"] = "RudderStack"
    return {k: v for k, v in body.items() if v is not None}


# --- §7 Events 2.0 ------------------------------------------------------------------------------------------------
TRAITS_LISTS = {
    "first_name": ["traits.firstName", "traits.firstname", "traits.first_name", "context.traits.firstName",
                   "context.traits.firstname", "context.traits.first_name"],
    "last_name": ["traits.lastName", "traits.lastname", "traits.last_name", "context.traits.lastName",
                  "context.traits.lastname", "context.traits.last_name"]}
ZIPS = ["zip", "zipcode", "zip_code", "zipCode", "postalcode", "postal_code", "postalCode"]
ZIP_LIST = (["traits." + z for z in ZIPS] + ["traits.address." + z for z in ["zipcode", "zip_code", "zip"] + ZIPS[3:]]
            + ["context.traits." + z for z in ZIPS] + ["context.traits.address." + z for z in ZIPS])
V2_ROWS = [  # §7.1 (formatting applied in v2_entry)
    ("event_id", ["properties.eventId", "properties.event_id", "messageId"]),
    ("limited_data_use", ["properties.limited_data_use"]), ("properties.contents", ["properties.contents"]),
    ("properties.content_type", ["properties.contentType", "properties.content_type"]),
    ("properties.search_string", ["properties.query"]),
    ("properties.shop_id", ["properties.shop_id", "properties.shopId"]),
    ("properties.order_id", ["properties.order_id", "properties.orderId"]),
    ("properties.currency", ["properties.currency"]), ("properties.value", ["properties.value"]),
    ("properties.description", ["properties.description"]), ("properties.query", ["properties.query"]),
    ("page.url", ["properties.context.page.url", "properties.url", "context.page.url"]),
    ("page.referrer", ["properties.context.page.referrer", "properties.referrer", "context.page.referrer"]),
    ("user.locale", ["properties.context.user.locale", "context.locale"]), ("user.ttclid", ["properties.ttclid"]),
    ("user.ttp", ["properties.context.user.ttp", "properties.ttp"]),
    ("user.phone", ["properties.context.user.phone", "traits.phone", "context.traits.phone", "properties.phone"]),
    ("user.ip", ["properties.context.user.ip", "context.ip", "request_ip"]),
    ("user.user_agent", ["properties.context.user.userAgent", "context.userAgent"]),
    ("user.city", ["context.traits.city", "context.traits.address.city", "properties.city"]),
    ("user.country", ["context.traits.country", "context.traits.address.country", "properties.country"]),
    ("user.state", ["context.traits.address.state", "context.traits.state", "properties.state"]),
    ("user.idfv", ["context.device.id"]),
    ("app.app_id", ["properties.appId", "properties.app_id", "context.app.namespace"]),
    ("app.app_name", ["properties.appName", "properties.app_name", "context.app.name"]),
    ("app.app_version", ["properties.appVersion", "properties.app_version", "context.app.version"]),
    ("ad.callback", ["properties.callBack"]), ("ad.campaign_id", ["properties.campaignId", "properties.campaign_id"]),
    ("ad.ad_id", ["properties.adId", "properties.ad_id"]),
    ("ad.creative_id", ["properties.creativeId", "properties.creative_id"]),
    ("ad.is_retargeting", ["properties.isRetargeting", "properties.is_retargeting"]),
    ("ad.attributed", ["properties.attributed"]),
    ("ad.attribution_type", ["properties.attributionType", "properties.attribution_type"]),
    ("ad.attribution_provider", ["properties.attributionProvider", "properties.attribution_provider"]),
    ("lead.lead_id", ["properties.leadId", "properties.lead_id"]),
    ("lead.lead_event_source", ["properties.leadEventSource", "properties.lead_event_source"])]


def v2_entry(msg, cfg, name):
    e = {}
    for path, sources in V2_ROWS:
        v = first(msg, sources)
        if v is MISSING: continue
        v = json.loads(json.dumps(v))
        if path in ("properties.shop_id", "properties.order_id"): v = js_string(v)
        if writable(v): put(e, path, v)
    t = first(msg, ["timestamp", "originalTimestamp"])
    when = seconds(t) if t is not MISSING else MISSING
    if when is MISSING: raise TransformError('Missing required value from "timestamp"', "instrumentation")
    e["event_time"] = when
    email = first(msg, ["properties.context.user.email", "context.user.email", "traits.email",
                        "context.traits.email", "properties.email"])
    if email is not MISSING:
        email = trim(js_string(email)).lower()
        if writable(email): put(e, "user.email", email)
    for key, sources in TRAITS_LISTS.items():
        v = first(msg, sources)
        if v is not MISSING: put(e, "user." + key, sha_utf16_low(trim(js_string(v)).lower()))
    z = first(msg, ZIP_LIST)
    if z is not MISSING: put(e, "user.zip_code", sha_utf16_low(js_string(z).replace(" ", "").replace("-", "")))
    ad_id = get(msg, "context.device.advertisingId")
    if writable(ad_id):
        put(e, "user.idfa", trim(ad_id))
        put(e, "user.gaid", trim(ad_id).lower())
    att = get(msg, "properties.att_status")
    if isinstance(att, str) and att.upper() in ATT: put(e, "user.att_status", att.upper())
    # §7.2 contents, contents_ids, num_items
    props = e.get("properties")
    if props is not None and "contents" in props and not isinstance(props["contents"], list):
        props["contents"] = [props["contents"]]
    products = get(msg, "properties.products")
    if not truthy((props or {}).get("contents", MISSING)) and truthy(products):
        built = []
        for prod in products if isinstance(products, list) else []:
            item = {"content_id": js_string(prod.get("product_id", MISSING)), "content_category": prod.get("category"),
                    "content_name": prod.get("name"), "price": prod.get("price"), "quantity": prod.get("quantity"),
                    "description": prod.get("description"), "brand": prod.get("brand")}
            built.append({k: v for k, v in item.items() if v is not None})
        props = e.setdefault("properties", {})
        props["contents"] = built
    if props is not None and isinstance(props.get("contents"), list) and props["contents"]:
        ids = [c.get("content_id") for c in props["contents"] if isinstance(c, dict) and truthy(c.get("content_id"))]
        if ids:
            props["contents_ids"] = ids
            props["num_items"] = len(ids)
    # §7.3 default content_type
    if "content_type" not in e.get("properties", {}) and name in V2_PRODUCT_EVENTS:
        e.setdefault("properties", {})["content_type"] = "product"
    # §7.4 external id, hashing, device ids
    ext = external_id(msg)
    if not lodash_empty(ext): put(e, "user.external_id", ext)
    user = e.get("user")
    if truthy(cfg.get("hashUserProperties", MISSING)) and user:
        def h(v): return [sha_utf16_low(trim(js_string(x))) for x in v] if isinstance(v, list) else sha_utf16_low(trim(js_string(v)))
        if truthy(user.get("external_id", MISSING)): user["external_id"] = h(user["external_id"])
        if isinstance(user.get("email"), str) and user["email"]: user["email"] = sha_utf16_low(trim(user["email"]))
        phone = user.get("phone", MISSING)
        if truthy(phone) and isinstance(phone, (str, list)) and len(phone) > 0: user["phone"] = h(phone)
        if "idfa" in user: user["idfa"] = sha_utf16_low(trim(user["idfa"])).lower()
        if "gaid" in user: user["gaid"] = sha_utf16_low(trim(user["gaid"]))
    os_name = get(msg, "context.os.name")
    if os_name is not MISSING and user is not None:
        if not isinstance(os_name, str): raise NotModelled("a non-string os.name")
        if os_name.lower() in ("ios", "watchos", "ipados", "tvos"): user.pop("gaid", None)
        elif os_name.lower() == "android":
            user.pop("idfa", None)
            user.pop("idfv", None)
    e["event"] = name
    return {k: v for k, v in e.items() if v is not None}


def event_source(msg):
    for path in ("properties.eventSource", "properties.event_source"):
        v = get(msg, path)
        if isinstance(v, str) and v in EVENT_SOURCES: return v
    return "web"


# --- request objects and envelopes (§6.5, §7.5, §12) --------------------------------------------------------------
def request(cfg, path, body):
    return {"version": "1", "type": "REST", "method": "POST", "endpoint": BASE + path + "/", "endpointPath": path,
            "headers": {"Access-Token": cfg["accessToken"], "Content-Type": "application/json"},
            "params": {}, "files": {}, "body": {"JSON": body, "JSON_ARRAY": {}, "XML": {}, "FORM": {}}}


def requests_for(msg, cfg, v2):
    """The request objects for one event (§6.5: one per target in v1; §7.5: one in v2), or TransformError."""
    event = validate(msg, cfg, v2)
    names = event_names(event, cfg)
    if not v2: return [request(cfg, "pixel/track", v1_payload(msg, cfg, n)) for n in names]
    body = {"event_source": event_source(msg), "event_source_id": cfg["pixelCode"], "partner_name": "RudderStack"}
    props = get(msg, "properties")
    if isinstance(props, dict) and "testEventCode" in props: body["test_event_code"] = props["testEventCode"]
    body["data"] = [v2_entry(msg, cfg, n) for n in names]
    return [request(cfg, "event/track", body)]


def stat_tags(error_type, metadata, feature):
    tags = {"errorCategory": "dataValidation", "errorType": error_type, "destType": "TIKTOK_ADS",
            "module": "destination", "implementation": "native", "feature": feature}
    for key in ("destinationId", "workspaceId"):
        if isinstance(metadata, dict) and metadata.get(key) is not None: tags[key] = metadata[key]
    return tags


def processor(body):
    out = []
    for item in body:
        msg, dest, meta = item["message"], item["destination"], item["metadata"]
        cfg = dest["Config"]
        try:
            for r in requests_for(msg, cfg, cfg.get("version") == "v2"):
                out.append({"output": dict(r, userId=""), "metadata": meta, "statusCode": 200})
        except TransformError as e:
            out.append({"metadata": meta, "statusCode": 400, "error": e.message,
                        "statTags": stat_tags(e.error_type, meta, "processor")})
    return {"status": 200, "body": out}


def router(body, max_v2=1000):
    inputs = body["input"]
    groups = {}
    for item in inputs:  # §8.1 (the golden inputs all have hasDynamicConfig false and no source job id)
        if item["destination"].get("hasDynamicConfig") is not False: raise NotModelled("dynamic config grouping")
        groups.setdefault(item["destination"]["ID"], []).append(item)
    output = []
    for group in groups.values():
        output += route_group(group, max_v2)
    return {"status": 200, "body": {"output": output}}


def route_group(group, max_v2):
    v2 = group[0]["destination"]["Config"].get("version") == "v2"  # §8.1: the first input's config decides
    first_meta = group[0]["metadata"]
    batchable, tests, errors = [], [], []
    for item in group:
        try:
            objects = requests_for(item["message"], item["destination"]["Config"], v2)
        except TransformError as e:
            errors.append({"metadata": [item["metadata"]], "batched": False, "statusCode": 400, "error": e.message,
                           "statTags": stat_tags(e.error_type, first_meta, "router"),
                           "destination": item["destination"]})
            continue
        if truthy(objects[0]["body"]["JSON"].get("test_event_code", MISSING)):  # §8.2
            tests.append({"batchedRequest": objects, "metadata": [item["metadata"]], "batched": False,
                          "statusCode": 200, "destination": item["destination"]})
        else:
            batchable.append((item, objects))
    batches = v2_batches(batchable, max_v2) if v2 else v1_batches(batchable)
    every = batches + tests + errors  # §8.5
    return sorted(every, key=lambda o: min(m["jobId"] for m in o["metadata"]))


def batch_item(batch_request, items):
    return {"batchedRequest": batch_request, "metadata": [i["metadata"] for i in items], "batched": True,
            "statusCode": 200, "destination": items[0]["destination"]}


def v1_batches(batchable):  # §8.3
    chunks = []
    for item, objects in batchable:
        if chunks and len(chunks[-1][1]) + len(objects) <= 50:
            chunks[-1][0].append(item)
            chunks[-1][1].extend(objects)
        else:
            chunks.append(([item], list(objects)))
    out = []
    for items, objects in chunks:
        cfg = items[0]["destination"]["Config"]
        batch = []
        for o in objects:
            entry = {k: v for k, v in o["body"]["JSON"].items() if k not in ("pixel_code", "partner_name")}
            entry["type"] = "track"
            batch.append(entry)
        out.append(batch_item(request(cfg, "pixel/batch",
                                      {"pixel_code": cfg["pixelCode"], "partner_name": "RudderStack", "batch": batch}),
                              items))
    return out


def v2_batches(batchable, limit):  # §8.4
    by_source = {}
    for item, objects in batchable:
        by_source.setdefault(objects[0]["body"]["JSON"]["event_source"], []).append((item, objects))
    out = []
    for source, members in by_source.items():
        cfg = members[0][0]["destination"]["Config"]

        def flush(items, data):
            body = {"event_source_id": cfg["pixelCode"], "event_source": source, "partner_name": "RudderStack",
                    "data": data}
            out.append(batch_item(request(cfg, "event/track", body), items))
        items, data = [], []
        for item, objects in members:
            entries = objects[0]["body"]["JSON"]["data"]
            if len(data) + len(entries) > limit:
                flush(items, data)
                items, data = [], []
            items.append(item)
            data += entries
        flush(items, data)
    return out


def expected(route, body, mocks=None):
    """The expected `{status, body}` for a golden case's route and input."""
    if route == "POST /v0/destinations/tiktok_ads": return processor(body)
    if route == "POST /routerTransform":
        limit = ((mocks or {}).get("config_override") or {}).get("maxBatchSizeV2", 1000)
        return router(body, limit)
    raise NotModelled("route " + route)
