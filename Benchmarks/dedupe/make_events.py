#!/usr/bin/env python3
"""Writes N generated RudderStack track events as NDJSON, for `record --dedupe` (Benchmarks/dedupe/run.sh).

    python3 Benchmarks/dedupe/make_events.py N OUT.ndjson [--seed S]

Each event draws its name (built-in mappings, custom names, padded or re-cased), its user fields from the sources
the mapping reads (traits or context.traits, every zip/name key), its properties (products or contents, ids, value,
currency, query, test codes), and its timestamp format, so that the stream reaches many mapping rows in many
combinations, as a day of production traffic does.
"""
import argparse, json, random

NAMES = ["Order Completed", "Product Added", "Checkout Started", "Payment Info Entered", "Product Added to Wishlist",
         "Checkout Step Completed", "ViewContent", "Search", "Contact", "Download", "SubmitForm", "Subscribe",
         "Purchase", "Lead", "CompleteRegistration", "Start Trial", "Application Approval", "Submit Application",
         "ClickButton", "CustomizeProduct", "FindLocation", "Schedule", "Custom Event", "Signed Up", "Cart Viewed"]
ZIP_KEYS = ["zip", "zipcode", "zip_code", "zipCode", "postalcode", "postal_code", "postalCode"]
NAME_KEYS = ["firstName", "firstname", "first_name"]
TIMESTAMPS = ["2024-05-09T10:12:31.713Z", "2024-05-09T10:12:31Z", "2024-05-09 10:12:31", "1715249551713",
              "Thu, 09 May 2024 10:12:31 GMT", "05/09/2024 10:12:31", "2024-05-09"]


def event(r, i):
    name = r.choice(NAMES)
    if r.random() < 0.1: name = "  " + name.upper() + " "
    traits = {}
    if r.random() < 0.8: traits["email"] = r.choice(["jane%d@example.com" % i, " ΟΔΥΣΣΕΥΣ@Example.com", "A@B.C"])
    if r.random() < 0.6: traits["phone"] = r.choice(["+1555%07d" % i, 15550100, ["+1555", "+1666"]])
    if r.random() < 0.4: traits[r.choice(NAME_KEYS)] = "Jane"
    if r.random() < 0.3: traits["lastName"] = "Doe"
    if r.random() < 0.4:
        zip_at = r.random()
        if zip_at < 0.5: traits[r.choice(ZIP_KEYS)] = "SW1A 1AA"
        else: traits["address"] = {r.choice(ZIP_KEYS): "94107-1234", "city": "Berlin", "country": "DE"}
    props = {}
    if r.random() < 0.6:
        props["products"] = [{"product_id": "p%d" % j, "price": 9.5, "quantity": 1 + j, "name": "Mug",
                              "category": "Home"} for j in range(r.randint(0, 3))]
    elif r.random() < 0.3:
        props["contents"] = [{"content_id": "c1", "price": 3, "quantity": 2}]
    for key, p, value in [("order_id", 0.5, "o-%d" % i), ("value", 0.6, 46.0), ("currency", 0.6, "USD"),
                          ("query", 0.2, "mugs"), ("testEventCode", 0.05, "TEST123"), ("eventSource", 0.1, "app"),
                          ("content_type", 0.2, "product"), ("ttclid", 0.1, "click"), ("limited_data_use", 0.1, True)]:
        if r.random() < p: props[key] = value
    m = {"type": "track", "event": name, "messageId": "m-%d" % i, "anonymousId": "a-%d" % (i % 1000),
         "timestamp": r.choice(TIMESTAMPS), "originalTimestamp": "2024-05-09T10:12:30Z",
         "context": {"ip": "203.0.113.%d" % (i % 250), "userAgent": "Mozilla/5.0", "locale": "en-US",
                     "os": {"name": r.choice(["iOS", "Android", "", "Windows"])},
                     "device": {"advertisingId": "AD-%d" % i, "id": "dev-%d" % i}},
         "properties": props}
    if r.random() < 0.5: m["context"]["traits"] = traits
    else: m["traits"] = traits
    if r.random() < 0.3: m["context"]["externalId"] = [{"type": "tiktokExternalId", "id": "x-%d" % i}]
    if r.random() < 0.05: m["channel"] = "sources"
    return m


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    r = random.Random(args.seed)
    with open(args.out, "w") as f:
        for i in range(args.count):
            f.write(json.dumps(event(r, i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
