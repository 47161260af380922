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

  /// Q16: built-in entries upstream's code has and its README does not list.
  static let undocumented: Set<String> = ["application approval", "submit application", "start trial"]

  /// The TikTok event names for `event` (the message's original `event` string), one per target; `nil` is a
  /// target whose `to` is missing (JavaScript `undefined`: the request then has no `event`).
  ///
  /// - Throws: rule 7 of §3 when the name maps nowhere and custom events are off.
  static func resolve(
    _ event: String, map: EventMap, sendCustomEvents: Bool, trace: TransformTrace? = nil, isV2: Bool = false
  ) throws(TransformError) -> [JSONValue?] {
    let normalised = event.jsLowercased.jsTrimmed
    let source = TransformTrace.Source.input(["message", "event"])
    let rules: [SpecRule] = trace == nil ? [] : TextRules.lowercase(event) + TextRules.trim(event)
    // The config map wins over the built-in table (spec §4 step 2).
    switch map.lookup(normalised) {
    case .mapped(let targets):
      if let trace {
        let rows = map.rows(of: normalised)
        for (t, to) in targets.enumerated() {
          let row = t < rows.count ? rows[t] : 0
          trace.field(
            .init(target: t, path: ["event"]), from: source,
            steps: ["toLowerCase", "trim", "eventsToStandard[\(row)]: \(to?.compactString() ?? "undefined")"],
            rules: rules + [.q15])
          trace.read(["destination", "Config", "eventsToStandard", String(row)])
        }
        trace.hit(
          .event(isV2, targets.count > 1 ? "eventsToStandard, several targets" : "eventsToStandard, one target"))
        trace.hit(.rule(.q15))
      }
      return targets
    case .inherited:
      // R1: `constructor`, `__proto__`: found, but nothing to iterate.
      trace?.eventRule(.r1)
      trace?.hit(.rule(.r1))
      trace?.hit(.event(isV2, "R1: a name every object inherits, no event"))
      return []
    case .absent: break
    }
    if let standard = builtIn[normalised] {
      var rules = rules
      if let trace {
        if undocumented.contains(normalised) {
          rules.append(.q16)
          trace.hit(.rule(.q16))
        }
        trace.field(
          .init(target: 0, path: ["event"]), from: source,
          steps: ["toLowerCase", "trim", "built-in table: \(standard)"], rules: rules)
        trace.hit(.event(isV2, "built-in: \(normalised) → \(standard)"))
      }
      return [.string(standard)]
    }
    // Custom events keep the original name, not lowercased, not trimmed (Q12: v1 may send "   ").
    if sendCustomEvents {
      var rules = rules
      if let trace {
        if normalised.isEmpty {
          rules.append(.q12)
          trace.hit(.rule(.q12))
        }
        trace.field(
          .init(target: 0, path: ["event"]), from: source, steps: ["custom event (sendCustomEvents): sent as written"],
          rules: rules)
        trace.hit(.event(isV2, "custom event (sendCustomEvents)"))
      }
      return [.string(event)]
    }
    throw trace.failing(
      .instrumentation("Event name (\(normalised)) is not valid, must be mapped to one of standard events"),
      Check.eventUnmapped, at: ["message", "event"], isV2: isV2)
  }
}
