"""An independent model of the TikTok Ads transformer, written from ../shared/spec/transformer-spec.md and
../shared/spec/upstream-divergences.md (section and rule ids below) and nothing else, so that `generate.py check` can
back every value of a pinned golden output, not only the spot checks each case names.

It covers what the golden inputs of generate.py use: processor and router, Events 1.0 and 2.0, every row of the
§6.1 and §7.1 mapping tables, contents (§6.2, §7.2, §7.3), user fields and hashing (§6.3, §6.4, §7.4, Q1), event names
(§4, R1), validation (§3) and the places upstream's JavaScript throws (Q19, Q21, R5, R8, R14), the request pipeline
(R3 Reverse-ETL timestamps, R4 dynamic config, R6, R7, R13, R17), envelopes (§6.5, §7.5, §12), batching and router
order (§8, Q14, Q17, R12, R16, R18 with V8's sort), JavaScript's lowercasing (R2, Python's full Unicode `lower`) and
trim (R2b), and the ISO 8601 dates the cases use (Q7, Q20, R10). An input that needs anything else (number text,
other date forms, other prototype lookups) is reported as not modelled, never guessed.

Two kinds of value are outside the spec: the text of a V8 error the spec does not quote (a null contents item, a
null destination …) is given as a `V8Text` naming the coverage row whose differential cases back it (`generate.py
check` verifies that upstream gave the same text there), and a value nothing backs is `Unknown` (its case must
`ignore` it).
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


class JSError(Exception):
    """Upstream's JavaScript threw (Q21): status 500 with the engine's message, `text` (a str or a V8Text)."""
    def __init__(self, text):
        super().__init__(str(text))
        self.text = text


class V8Text:
    """The text of a V8 error the spec does not quote. `row` is the coverage row (`kind: name`, as `replay
    --coverage` lists it) on whose differential cases `generate.py check` finds upstream giving the same text."""
    def __init__(self, row): self.row = row
    def __repr__(self): return "V8Text(%r)" % self.row


class Unknown:
    """A value nothing backs: neither the spec nor the differential corpus shows upstream on such an input."""
    def __init__(self, why): self.why = why
    def __repr__(self): return "Unknown(%r)" % self.why


def v8_read(value, keys):
    """`value.k1.k2…` as JavaScript evaluates it: reading a member of undefined or null throws V8's TypeError."""
    for key in keys:
        if value is MISSING or value is None:
            raise JSError("Cannot read properties of %s (reading '%s')" % ("undefined" if value is MISSING else "null", key))
        if isinstance(value, dict): value = value.get(key, MISSING)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value): value = value[int(key)]
        else: value = MISSING  # a member a primitive does not have
    return value


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
    if isinstance(v, float) or (isinstance(v, int) and abs(v) > 2 ** 53):
        raise NotModelled("JavaScript number text of %r" % v)
    if isinstance(v, list): return ",".join("" if x is None else js_string(x) for x in v)
    if isinstance(v, dict): return "[object Object]"
    return str(v)


JS_WHITESPACE = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                 "\u2028\u2029\u202f\u205f\u3000\ufeff")  # R2b: ECMAScript white space and line terminators


def trim(v): return v.strip(JS_WHITESPACE) if isinstance(v, str) else v


def lower(v):  # R2: Python's str.lower is Unicode's full lowercasing, final sigma included
    if not isinstance(v, str): raise NotModelled("lowercasing %r" % (v,))
    return v.lower()


def sha_utf8(s):  # v1 user fields (§5); Q19: crypto-js cannot encode a lone surrogate
    try:
        return hashlib.sha256(s.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        raise JSError("URI malformed")


def sha_utf16_low(s):  # hashToSha256: the low byte of every UTF-16 code unit (§5, Q18)
    units = s.encode("utf-16-le", "surrogatepass")
    return hashlib.sha256(bytes(units[i] for i in range(0, len(units), 2))).hexdigest()


ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$")


def seconds(v):  # secondTimestamp (§5): epoch-ms passes through, else floor(Date.parse / 1000)
    if isinstance(v, bool): return 0  # R10: a boolean counts as present and gives 0
    if is_num(v) and not (float(v).is_integer() and abs(v) <= 8.64e15): raise NotModelled("the timestamp %r" % v)
    if is_num(v) or (isinstance(v, str) and v.isdigit()): return v
    if not isinstance(v, str): raise NotModelled("a non-string timestamp %r" % (v,))
    m = ISO.match(v)
    if not m:
        if v == "not a date": return MISSING  # plainly no date
        raise NotModelled("Date.parse of %r" % v)
    y, mo, d, h, mi, s, frac, zone = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=timezone.utc)
    except ValueError:
        raise NotModelled("Date.parse of %r" % v)
    epoch = int(dt.timestamp())
    if zone and zone != "Z":  # no zone: Q20, read in UTC
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
OBJECT_MEMBERS = {"__proto__", "constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty",
                  "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__defineSetter__",
                  "__lookupGetter__", "__lookupSetter__"}  # R1: what every plain JavaScript object has


def event_map(cfg):
    """§4 step 1: eventsToStandard as a map from lowercased, trimmed `from` to the ordered set of `to`. R5: a null
    row or a non-string `from` throws; R1: a `from` naming a member every object has finds that member and throws
    adding to it."""
    rows = cfg.get("eventsToStandard")
    mapping = {}
    for row in rows if isinstance(rows, list) else []:
        if row is None: raise JSError("Cannot read properties of null (reading 'from')")
        if not isinstance(row, dict): raise NotModelled("an eventsToStandard row %r" % (row,))
        frm = row.get("from", MISSING)
        if frm is MISSING or frm == "" or (isinstance(frm, str) and trim(frm) == ""): continue
        if not isinstance(frm, str):
            if is_num(frm) or isinstance(frm, (bool, list)): raise JSError("array[fromKey].toLowerCase is not a function")
            raise NotModelled("an eventsToStandard from %r" % (frm,))
        key = trim(lower(frm))
        if key in OBJECT_MEMBERS: raise JSError("hashMap[key].add is not a function")
        targets = mapping.setdefault(key, [])
        if row.get("to") not in targets: targets.append(row.get("to"))
    return mapping


def validate(msg, cfg, v2):
    if not truthy(cfg.get("accessToken", MISSING)):
        raise TransformError("Access Token not found. Aborting" + ("" if v2 else " "), "configuration")
    if not truthy(cfg.get("pixelCode", MISSING)): raise TransformError("Pixel Code not found. Aborting", "configuration")
    t = get(msg, "type")
    if not truthy(t): raise TransformError("Event type is required", "instrumentation")
    if not isinstance(t, str): raise JSError("message.type.toLowerCase is not a function")  # R8
    if lower(t) != "track": raise TransformError("Event type %s is not supported" % lower(t), "instrumentation")
    event = get(msg, "event")
    if not isinstance(event, str) or event == "":
        raise TransformError("Event is a required field and should be a string", "instrumentation")
    if v2 and trim(event) == "": raise TransformError("Event name is required", "instrumentation")
    return event


def event_names(event, cfg, mapping):
    norm = trim(lower(event))
    if norm == "__proto__": return []  # R1: found in the lookup object, with nothing to iterate
    if norm in OBJECT_MEMBERS: raise NotModelled("the event name %r" % event)
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
        v = json.loads(json.dumps(v))  # a copy (v1's shared context.user is handled by v1_payload, Q1)
        if as_string: v = js_string(v)
        if writable(v): put(out, path, v)
    return out


def v1_payload(msg, cfg, name, shared_user):
    """One target's payload. `shared_user` is the one properties.context.user object every target's context.user
    is (§5 whole objects are copied by reference): Q1, its fields are set and hashed again for every target."""
    p = map_rows(msg, V1_ROWS)
    if isinstance(get(p, "context.user"), dict): p["context"]["user"] = shared_user
    props = p.get("properties")
    # §6.2 contents
    if props is not None and "contents" in props and not isinstance(props["contents"], list):
        props["contents"] = [props["contents"]]
    products = get(msg, "properties.products")
    if props is not None and "contents" not in props and truthy(products):
        default = first(msg, ["properties.contentType", "properties.content_type"])
        built = []
        for prod in products if isinstance(products, list) else []:
            if prod is None: raise JSError(V8Text("check: v1 a products item is null (throws)"))
            if not isinstance(prod, dict): raise NotModelled("a products item %r" % (prod,))
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
            if item is None: raise JSError(V8Text("check: v1 a contents item is null (throws)"))
            if isinstance(item, dict) and not truthy(item.get("content_type", MISSING)):  # a falsy one too
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
                if isinstance(v, list) and key == "external_id": raise JSError("external_id.trim is not a function")
                if not isinstance(v, str): raise NotModelled("hashing a %s %s" % (type(v).__name__, key))
                v = trim(v)
                user[key] = sha_utf8(lower(v) if fold else v)
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
        email = trim(lower(js_string(email)))
        if writable(email): put(e, "user.email", email)
    for key, sources in TRAITS_LISTS.items():
        v = first(msg, sources)
        if v is not MISSING: put(e, "user." + key, sha_utf16_low(lower(trim(js_string(v)))))
    z = first(msg, ZIP_LIST)
    if z is not MISSING: put(e, "user.zip_code", sha_utf16_low(js_string(z).replace(" ", "").replace("-", "")))
    ad_id = get(msg, "context.device.advertisingId")
    if writable(ad_id):
        put(e, "user.idfa", trim(ad_id))
        put(e, "user.gaid", lower(trim(ad_id)))
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
            if prod is None: raise JSError(V8Text("check: v2 a products item is null (throws)"))
            if not isinstance(prod, dict): raise NotModelled("a products item %r" % (prod,))
            item = {"content_id": js_string(prod.get("product_id", MISSING)), "content_category": prod.get("category"),
                    "content_name": prod.get("name"), "price": prod.get("price"), "quantity": prod.get("quantity"),
                    "description": prod.get("description"), "brand": prod.get("brand")}
            built.append({k: v for k, v in item.items() if v is not None})
        props = e.setdefault("properties", {})
        props["contents"] = built
    if props is not None and isinstance(props.get("contents"), list) and props["contents"]:
        if None in props["contents"]: raise JSError(V8Text("check: v2 a contents item is null (throws)"))
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
        def h(v):
            if isinstance(v, list) and None in v:
                raise JSError(V8Text("check: v2 an array element to hash is null (throws calling toString)"))
            return [sha_utf16_low(trim(js_string(x))) for x in v] if isinstance(v, list) else sha_utf16_low(trim(js_string(v)))
        if truthy(user.get("external_id", MISSING)): user["external_id"] = h(user["external_id"])
        if isinstance(user.get("email"), str) and user["email"]: user["email"] = sha_utf16_low(trim(user["email"]))
        phone = user.get("phone", MISSING)
        if truthy(phone) and isinstance(phone, (str, list)) and len(phone) > 0: user["phone"] = h(phone)
        if "idfa" in user: user["idfa"] = sha_utf16_low(trim(user["idfa"])).lower()
        if "gaid" in user: user["gaid"] = sha_utf16_low(trim(user["gaid"]))
    os_name = get(msg, "context.os.name")
    if os_name is not MISSING and user is not None:
        if os_name is None: raise NotModelled("a null os.name")
        if not isinstance(os_name, str): raise JSError("os.toLowerCase is not a function")  # R8
        if lower(os_name) in ("ios", "watchos", "ipados", "tvos"): user.pop("gaid", None)
        elif lower(os_name) == "android":
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


def config_of(destination):
    """The destination's Config as the destination code reads it: R7, anything but an object reads as {}; a null
    or absent Config (or destination) throws reading it."""
    cfg = destination.get("Config", MISSING) if isinstance(destination, dict) else MISSING
    if cfg is MISSING or cfg is None:
        raise JSError(V8Text("check: destination.Config is null or absent (throws reading accessToken)"))
    return cfg if isinstance(cfg, dict) else {}


def is_v2(cfg): return cfg.get("version") == "v2"  # §1: exactly "v2"


def destination_is_v2(destination):  # §8.1: the router's switch; a Config it cannot read is not v2
    cfg = destination.get("Config") if isinstance(destination, dict) else None
    return isinstance(cfg, dict) and is_v2(cfg)


def requests_for(msg, destination, v2=None):
    """The request objects for one event (§6.5: one per target in v1; §7.5: one in v2), or TransformError (400) or
    JSError (500). `v2` forces the version (a router group's, §8.1); else the event's own Config decides."""
    cfg = config_of(destination)
    v2 = is_v2(cfg) if v2 is None else v2
    event = validate(msg, cfg, v2)
    # R5 says the rows are read "before anything else", but upstream's own answers (differential processor case
    # 1972-fuzz: a message without type, an array `from`, gives 400 "Event type is required") show them read after
    # §3 rules 1-6, before the name is resolved; this model follows upstream.
    mapping = event_map(cfg)
    names = event_names(event, cfg, mapping)
    if not v2:
        user = get(msg, "properties.context.user")
        shared = json.loads(json.dumps(user)) if isinstance(user, dict) else None
        return [request(cfg, "pixel/track", v1_payload(msg, cfg, n, shared)) for n in names]
    body = {"event_source": event_source(msg), "event_source_id": cfg["pixelCode"], "partner_name": "RudderStack"}
    props = get(msg, "properties")
    if isinstance(props, dict) and "testEventCode" in props: body["test_event_code"] = props["testEventCode"]
    body["data"] = [v2_entry(msg, cfg, n) for n in names]
    return [request(cfg, "event/track", body)]


# --- The request pipeline (upstream-divergences §A) -------------------------------------------------------------
TEMPLATE_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def unset(obj, path):
    keys = path.split(".")
    for k in keys[:-1]:
        obj = obj.get(k) if isinstance(obj, dict) else None
    if isinstance(obj, dict): obj.pop(keys[-1], None)


def resolve_templates(value, item):
    """R4: each string of the Config that, trimmed, reads {{ PATH || DEFAULT }} becomes the value at PATH in the
    item (event. meaning message.), which is then deleted from the item; else DEFAULT without its quotes, trimmed."""
    if isinstance(value, dict): return {k: resolve_templates(v, item) for k, v in value.items()}
    if isinstance(value, list): return [resolve_templates(v, item) for v in value]
    if not isinstance(value, str): return value
    text = trim(value)
    if not (text.startswith("{{") and text.endswith("}}") and "||" in text[2:-2]): return value
    path, default = (trim(part) for part in text[2:-2].split("||", 1))
    if not TEMPLATE_PATH.fullmatch(path): return value
    if path.startswith("event."): path = "message." + path[len("event."):]
    found = get(item, path)
    if found is not MISSING and found is not None:
        if found in ("", [], {}): raise NotModelled("a template reading an empty value")
        unset(item, path)
        return found
    return trim(default.replace('"', ""))


def reverse_etl(msg):
    """R3: a channel sources event without context.mappedToDestination takes its timestamp from its own time fields."""
    if msg.get("channel") != "sources" or truthy(get(msg, "context.mappedToDestination")): return
    if msg.get("type") == "track": sources = ["properties.timestamp", "timestamp", "originalTimestamp"]
    elif msg.get("type") == "identify":
        sources = ["context.timestamp", "context.traits.timestamp", "traits.timestamp", "timestamp", "originalTimestamp"]
    else: return
    found = first(msg, sources)
    msg["timestamp"] = None if found is MISSING else found


def prepare(item):
    """The pipeline on one request item, on a copy: (message, destination, metadata), each MISSING when absent."""
    if item is None: raise JSError(Unknown("the error text for a null request item"))
    item = json.loads(json.dumps(item)) if isinstance(item, dict) else {}
    msg = item.get("message")
    item["message"] = dict(msg) if isinstance(msg, dict) else {}  # R6: {...message}
    reverse_etl(item["message"])  # R3
    dest = item.get("destination", MISSING)
    if not (isinstance(dest, dict) and dest.get("hasDynamicConfig") is False):  # R4
        if dest is MISSING or dest is None:
            raise JSError(V8Text("check: R4/R13: destination is null or absent (throws reading Config)"))
        if isinstance(dest, dict) and "Config" in dest: dest["Config"] = resolve_templates(dest["Config"], item)
    return item["message"], item.get("destination", MISSING), item.get("metadata", MISSING)


# --- Envelopes (§3, §12, Q21) -------------------------------------------------------------------------------------
def stat_tags(error_type, metadata, feature):
    tags = {"errorCategory": "dataValidation", "errorType": error_type, "destType": "TIKTOK_ADS",
            "module": "destination", "implementation": "native", "feature": feature}
    for key in ("destinationId", "workspaceId"):
        if isinstance(metadata, dict) and metadata.get(key) is not None: tags[key] = metadata[key]
    return tags


def runtime_tags(metadata, feature):  # Q21
    if feature == "processor": return {"errorCategory": "transformation"}
    tags = stat_tags(None, metadata, feature)
    tags.pop("errorType")
    tags["errorCategory"] = "transformation"
    return tags


def with_metadata(item, metadata):
    if metadata is not MISSING: item["metadata"] = metadata
    return item


def processor(body):
    out = []
    for item in body:
        meta = item.get("metadata", MISSING) if isinstance(item, dict) else MISSING
        try:
            msg, dest, meta = prepare(item)
            for r in requests_for(msg, dest):
                out.append(with_metadata({"output": dict(r, userId=""), "statusCode": 200}, meta))
        except TransformError as e:
            out.append(with_metadata({"statusCode": 400, "error": e.message,
                                      "statTags": stat_tags(e.error_type, meta, "processor")}, meta))
        except JSError as e:
            out.append(with_metadata({"statusCode": 500, "error": e.text,
                                      "statTags": runtime_tags(meta, "processor")}, meta))
    return {"status": 200, "body": out}


# --- §8 router ------------------------------------------------------------------------------------------------------
def whole_failure(error, metadata):
    """R13, R14: the service answers one 500 item for every event of the failed request or group."""
    return {"metadata": metadata, "batched": False, "statusCode": 500, "error": error.text,
            "statTags": {"errorCategory": "transformation"}}


def router(body, max_v2=1000):
    inputs = body["input"]
    if not inputs:  # R17
        return {"status": 200, "body": {"output": [{"metadata": [{"destType": body["destType"]}], "batched": False,
                                                    "statusCode": 400, "error": "Invalid event array"}]}}
    prepared = []
    for item in inputs:
        try:
            prepared.append((item,) + prepare(item))
        except JSError as e:  # R13: the pipeline runs outside any per-event handler
            return {"status": 200, "body": {"output": [whole_failure(e, [i.get("metadata") for i in inputs])]}}
    groups = {}
    for entry in prepared:  # §8.1
        item, msg, dest, meta = entry
        key = [dest.get("ID") if isinstance(dest, dict) else None,
               get(item, "context.sources.job_id") if isinstance(item, dict) else None]
        if not (isinstance(dest, dict) and dest.get("hasDynamicConfig") is False):
            key.append(json.dumps(dest.get("Config") if isinstance(dest, dict) else None, sort_keys=True))
        groups.setdefault(json.dumps(key, default=str), []).append(entry[1:])
    output = []
    for group in groups.values():
        try:
            output += route_group(group, max_v2)
        except JSError as e:  # R14
            output.append(whole_failure(e, [meta for _, _, meta in group]))
    return {"status": 200, "body": {"output": output}}


def route_group(group, max_v2):
    v2 = destination_is_v2(group[0][1])  # §8.1: the first input's config decides
    first_meta = group[0][2]
    outcomes = []
    for index, (msg, dest, meta) in enumerate(group):
        pre = truthy(msg.get("statusCode", MISSING))  # §8.2, Q17
        via_v2 = not v2 and not pre and destination_is_v2(dest)
        settles = 0 if pre else (2 if via_v2 else 1)  # R16: synchronous, v1 code, then v2 code
        item = {"metadata": [meta], "batched": False}
        try:
            objects = [msg] if pre else requests_for(msg, dest, True if v2 else None)
            code = v8_read(objects[0] if objects else MISSING, ["body", "JSON", "test_event_code"])
            if truthy(code):  # §8.2: test events are never batched
                outcome = ("test", {"batchedRequest": objects, "metadata": [meta], "batched": False,
                                    "statusCode": 200, "destination": dest})
            else:
                outcome = ("batch", (msg, dest, meta, objects))
        except TransformError as e:
            outcome = ("error", dict(item, statusCode=400, error=e.message,
                                     statTags=stat_tags(e.error_type, first_meta, "router"), destination=dest))
        except JSError as e:
            outcome = ("error", dict(item, statusCode=500, error=e.text, statTags=runtime_tags(first_meta, "router"),
                                     destination=dest))
        outcomes.append((settles, index, outcome))
    outcomes.sort(key=lambda o: o[:2])
    batchable = [o[2][1] for o in outcomes if o[2][0] == "batch"]
    tests = [o[2][1] for o in outcomes if o[2][0] == "test"]
    errors = [o[2][1] for o in outcomes if o[2][0] == "error"]
    batches = v2_batches(batchable, max_v2) if v2 else v1_batches(batchable)
    return v8_sort(batches + tests + errors, lambda a, b: min_job_id(a) - min_job_id(b))  # §8.5, R12, R18


def min_job_id(output_item):
    """Math.min over the item's jobIds: Infinity for none (R12), NaN when one is undefined (R18)."""
    ids = []
    for m in output_item["metadata"]:
        j = m.get("jobId", MISSING) if isinstance(m, dict) else MISSING
        if j is MISSING: ids.append(float("nan"))
        elif is_num(j): ids.append(j)
        else: raise NotModelled("a jobId %r" % (j,))
    if any(j != j for j in ids): return float("nan")
    return min(ids) if ids else float("inf")


def v8_sort(items, comparator):
    """Array.prototype.sort as V8 runs it on fewer than 64 items: its TimSort finds the first run (reversed when
    strictly descending), then inserts the rest by binary search. As ECMA-262's SortCompare says, a comparator result
    of NaN counts as +0 (R18), so an item without jobId compares equal to every other item."""
    def compare(x, y):
        v = comparator(x, y)
        return 0 if v != v else v
    a = list(items)
    n = len(a)
    if n < 2: return a
    if n >= 64: raise NotModelled("V8's merge of runs (64 items or more)")
    run, descending = 2, compare(a[1], a[0]) < 0
    for i in range(2, n):
        order = compare(a[i], a[i - 1])
        if (order >= 0) if descending else (order < 0): break
        run += 1
    if descending: a[:run] = a[:run][::-1]
    for start in range(run, n):
        pivot, left, right = a[start], 0, start
        while left < right:
            mid = left + ((right - left) >> 1)
            if compare(pivot, a[mid]) < 0: right = mid
            else: left = mid + 1
        a[left + 1:start + 1] = a[left:start]
        a[left] = pivot
    return a


def batch_item(batch_request, metadata, destination):
    return {"batchedRequest": batch_request, "metadata": metadata, "batched": True, "statusCode": 200,
            "destination": destination}


def v1_batches(batchable):  # §8.3
    chunks = []
    for event in batchable:
        objects = event[3]
        if chunks and len(chunks[-1][1]) + len(objects) <= 50:
            chunks[-1][0].append(event)
            chunks[-1][1].extend(objects)
        else:
            chunks.append(([event], list(objects)))
    out = []
    for events, objects in chunks:
        cfg = config_of(events[0][1])  # §8.1: the chunk's first event's token and pixel code
        batch = []
        for o in objects:
            entry = {k: v for k, v in o["body"]["JSON"].items() if k not in ("pixel_code", "partner_name")}
            entry["type"] = "track"
            batch.append(entry)
        out.append(batch_item(request(cfg, "pixel/batch",
                                      {"pixel_code": cfg["pixelCode"], "partner_name": "RudderStack", "batch": batch}),
                              [e[2] for e in events], events[0][1]))
    return out


def v2_batches(batchable, limit):  # §8.4
    by_source = {}
    for event in batchable:
        source = event[3][0]["body"]["JSON"].get("event_source", MISSING)
        if not isinstance(source, str): raise NotModelled("a batch key %r" % (source,))
        by_source.setdefault(source, []).append(event)
    out = []
    for source, members in by_source.items():
        cfg, destination = config_of(members[0][1]), members[0][1]  # the sub-group's first event

        def flush(events, data):
            body = {"event_source_id": cfg["pixelCode"], "event_source": source, "partner_name": "RudderStack",
                    "data": data}
            out.append(batch_item(request(cfg, "event/track", body), [e[2] for e in events], destination))
        events, data = [], []
        for event in members:
            entries = event[3][0]["body"]["JSON"].get("data", MISSING)
            if entries is MISSING: raise JSError("eventData is not iterable (cannot read property undefined)")  # R14
            if len(data) + len(entries) > limit:  # R12: may flush an empty batch
                flush(events, data)
                events, data = [], []
            events.append(event)
            data += entries
        flush(events, data)
    return out


def expected(route, body, mocks=None):
    """The expected `{status, body}` for a golden case's route and input."""
    if route == "POST /v0/destinations/tiktok_ads": return processor(body)
    if route == "POST /routerTransform":
        limit = ((mocks or {}).get("config_override") or {}).get("maxBatchSizeV2", 1000)
        return router(body, limit)
    raise NotModelled("route " + route)
