#!/usr/bin/env python3
"""Writes a realistic RudderStack `Order Completed` track event of about 10 KB (compact JSON), deterministically:
a web SDK context (page, userAgent, campaign, traits with address, device, library, locale, screen), 14 products
with the properties shops send, and the destination on the command line's config.

usage: make_event.py OUT.json [TARGET_BYTES]   (default 10240; products are added until the event reaches it)
"""
import json
import sys


def product(i):
    return {
        "product_id": f"{10000 + i}",
        "sku": f"SKU-{i:04d}-BLUE-M",
        "name": f"Merino Wool Sweater, crew neck, model {i}",
        "brand": "Northern Knits",
        "category": "Apparel > Knitwear > Sweaters",
        "variant": "blue / M",
        "price": 59.95 + i,
        "quantity": 1 + i % 3,
        "coupon": "WINTER10" if i % 4 == 0 else "",
        "position": i + 1,
        "url": f"https://shop.example.com/products/merino-sweater-{i}?variant=blue-m",
        "image_url": f"https://cdn.example.com/images/products/merino-sweater-{i}-blue-front-1200x1600.jpg",
    }


def event(products):
    return {
        "anonymousId": "6f1c2a9e-2b7d-4c33-9a51-0e8f7d3c4b21",
        "userId": "customer-482913",
        "channel": "web",
        "type": "track",
        "event": "Order Completed",
        "messageId": "b9d5c3f4-7e21-4a8b-9f3e-1c2d3e4f5a6b",
        "originalTimestamp": "2024-05-09T10:12:31.713Z",
        "sentAt": "2024-05-09T10:12:31.902Z",
        "receivedAt": "2024-05-09T10:12:32.118Z",
        "timestamp": "2024-05-09T10:12:31.713Z",
        "rudderId": "3d0a6c5e-91b2-4f7a-8e6d-5c4b3a2f1e0d",
        "context": {
            "app": {"build": "1.0.0", "name": "RudderLabs JavaScript SDK", "namespace": "com.rudderlabs.javascript",
                    "version": "3.0.3"},
            "library": {"name": "RudderLabs JavaScript SDK", "version": "3.0.3"},
            "locale": "en-GB",
            "os": {"name": "", "version": ""},
            "screen": {"density": 2, "width": 1512, "height": 982, "innerWidth": 1512, "innerHeight": 865},
            "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/124.0.0.0 Safari/537.36",
            "ip": "203.0.113.42",
            "page": {"path": "/checkout/thank-you", "referrer": "https://shop.example.com/checkout/payment",
                     "search": "?order=o-20240509-0042", "title": "Thank you for your order",
                     "url": "https://shop.example.com/checkout/thank-you?order=o-20240509-0042",
                     "referring_domain": "shop.example.com", "tab_url": "https://shop.example.com/checkout/thank-you",
                     "initial_referrer": "https://www.google.com/", "initial_referring_domain": "www.google.com"},
            "campaign": {"name": "winter-sale", "source": "tiktok", "medium": "paid_social", "content": "carousel-3"},
            "traits": {"email": "jane.doe@example.com", "phone": "+44 7700 900123", "firstName": "Jane",
                       "lastName": "Doe", "address": {"street": "221B Baker Street", "city": "London",
                                                      "postalCode": "NW1 6XE", "country": "GB"}},
            "externalId": [{"type": "tiktokExternalId", "id": "ext-482913"}],
            "device": {"id": "d-7a8b9c", "advertisingId": "a1b2c3d4-e5f6-7081-92a3-b4c5d6e7f809"},
            "sessionId": 1715249400123,
            "sessionStart": False,
            "ttclid": "E.C.P.CsoBa1b2c3d4e5f6g7h8i9j0",
        },
        "properties": {
            "order_id": "o-20240509-0042",
            "checkout_id": "c-77121",
            "affiliation": "Online Store",
            "total": 0,
            "subtotal": 0,
            "revenue": 0,
            "value": 0,
            "shipping": 4.95,
            "tax": 0,
            "discount": 12.5,
            "coupon": "WINTER10",
            "currency": "GBP",
            "content_type": "product",
            "description": "Order o-20240509-0042",
            "query": "merino sweater",
            "products": products,
        },
        "integrations": {"All": True},
    }


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 10240
    products = []
    while len(json.dumps(event(products), separators=(",", ":"))) < target:
        products.append(product(len(products)))
    e = event(products)
    total = round(sum(p["price"] * p["quantity"] for p in products), 2)
    e["properties"].update(total=total, subtotal=total, revenue=total, value=total)
    with open(out, "w") as f:
        json.dump(e, f, separators=(",", ":"))
    print(f"{out}: {len(json.dumps(e, separators=(',', ':')))} bytes, {len(products)} products", file=sys.stderr)


if __name__ == "__main__":
    main()
