import JSON
import Testing

@testable import TikTokAds

/// Spec §4: built-in names, eventsToStandard, custom events.
@Suite("§4 event names")
struct EventNameTests {
  static let builtIn: [(String, String)] = [
    ("Product Added to Wishlist", "AddToWishlist"), ("Product Added", "AddToCart"),
    ("Checkout Started", "InitiateCheckout"), ("Payment Info Entered", "AddPaymentInfo"),
    ("Checkout Step Completed", "CompletePayment"), ("Order Completed", "PlaceAnOrder"),
    ("ViewContent", "ViewContent"), ("ClickButton", "ClickButton"), ("Search", "Search"), ("Contact", "Contact"),
    ("Download", "Download"), ("SubmitForm", "SubmitForm"), ("CompleteRegistration", "CompleteRegistration"),
    ("Subscribe", "Subscribe"), ("Purchase", "Purchase"), ("Lead", "Lead"),
    ("CustomizeProduct", "CustomizeProduct"), ("FindLocation", "FindLocation"), ("Schedule", "Schedule"),
    ("Application Approval", "ApplicationApproval"), ("Submit Application", "SubmitApplication"),
    ("Start Trial", "StartTrial"),
  ]

  @Test("each of the 22 built-in names, in both versions", arguments: builtIn)
  func builtInName(_ pair: (String, String)) throws {
    let (input, tiktok) = pair
    #expect(try TestEvents.v1Body(TestEvents.track(.string(input)))?["event"] == .string(tiktok))
    #expect(try TestEvents.v2Entry(TestEvents.track(.string(input)))?["event"] == .string(tiktok))
  }

  @Test("matching ignores case and surrounding whitespace")
  func normalisation() throws {
    #expect(try TestEvents.v1Body(TestEvents.track("SubscriBe"))?["event"] == "Subscribe")
    #expect(try TestEvents.v2Entry(TestEvents.track("  Order Completed  "))?["event"] == "PlaceAnOrder")
  }

  @Test("eventsToStandard wins over the table, is one-to-many in order, de-duplicated, and verbatim")
  func configMap() throws {
    let map: JSONValue = [
      ["from": " Order Completed ", "to": "Purchase"], ["from": "order completed", "to": "CompletePayment"],
      ["from": "ORDER COMPLETED", "to": "Purchase"], ["from": "abc", "to": "download"], ["from": "  ", "to": "Lead"],
      ["from": "empty", "to": ""],
    ]
    let config: [(String, JSONValue)] = [("eventsToStandard", map)]
    // v1: one request per target; v2: one data[] entry per target.
    let v1 = try TestEvents.bodies(TestEvents.track("Order Completed"), TestEvents.destination(v2: false, config))
    #expect(v1.map { $0["event"] } == ["Purchase", "CompletePayment"])
    let v2 = try TestEvents.bodies(TestEvents.track("Order Completed"), TestEvents.destination(v2: true, config))
    #expect(v2.count == 1)
    #expect(v2[0]["data"]?.arrayValue?.map { $0["event"] } == ["Purchase", "CompletePayment"])
    // Q15: `to` is used verbatim, lowercase included.
    #expect(try TestEvents.v1Body(TestEvents.track("ABC"), config)?["event"] == "download")
    #expect(try TestEvents.v1Body(TestEvents.track("empty"), config)?["event"] == "")
    // A whitespace-only `from` is ignored.
    let ws = try TestEvents.process(TestEvents.track("  "), TestEvents.destination(v2: false, config))
    #expect(ws[0]["statusCode"] == 400)
  }

  @Test("custom events keep their original name; Q12: v1 sends a whitespace-only name")
  func customEvents() throws {
    let config: [(String, JSONValue)] = [("sendCustomEvents", true)]
    #expect(try TestEvents.v1Body(TestEvents.track("customEvent"), config)?["event"] == "customEvent")
    #expect(try TestEvents.v2Entry(TestEvents.track("  My Event "), config)?["event"] == "  My Event ")
    #expect(try TestEvents.v1Body(TestEvents.track("   "), config)?["event"] == "   ")
  }
}
