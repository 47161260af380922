import JSON

/// Event-name resolution (spec §4).
enum EventNames {
  /// The built-in table: normalised (lowercased, trimmed) RudderStack event → TikTok event. Matched exactly.
  /// Q16: the code's 22 entries are authoritative, not the shorter upstream README list.
  static let builtIn: [String: String] = [
    "product added to wishlist": "AddToWishlist",
    "product added": "AddToCart",
    "checkout started": "InitiateCheckout",
    "payment info entered": "AddPaymentInfo",
    "checkout step completed": "CompletePayment",
    "order completed": "PlaceAnOrder",
    "viewcontent": "ViewContent",
    "clickbutton": "ClickButton",
    "search": "Search",
    "contact": "Contact",
    "download": "Download",
    "submitform": "SubmitForm",
    "completeregistration": "CompleteRegistration",
    "subscribe": "Subscribe",
    "purchase": "Purchase",
    "lead": "Lead",
    "customizeproduct": "CustomizeProduct",
    "findlocation": "FindLocation",
    "schedule": "Schedule",
    "application approval": "ApplicationApproval",
    "submit application": "SubmitApplication",
    "start trial": "StartTrial",
  ]

  /// The TikTok event names for `event` (the message's original `event` string), one per target; `nil` is a
  /// target whose `to` is missing (JavaScript `undefined`: the request then has no `event`).
  ///
  /// - Throws: rule 7 of §3 when the name maps nowhere and custom events are off.
  static func resolve(_ event: String, map: EventMap, sendCustomEvents: Bool) throws(TransformError) -> [JSONValue?] {
    let normalised = event.jsLowercased.jsTrimmed
    // The config map wins over the built-in table (spec §4 step 2).
    switch map.lookup(normalised) {
    case .mapped(let targets): return targets
    case .inherited: return []  // R1: `constructor`, `__proto__`: found, but nothing to iterate
    case .absent: break
    }
    if let standard = builtIn[normalised] { return [.string(standard)] }
    // Custom events keep the original name, not lowercased, not trimmed (Q12: v1 may send "   ").
    if sendCustomEvents { return [.string(event)] }
    throw .instrumentation(
      "Event name (\(normalised)) is not valid, must be mapped to one of standard events")
  }
}
