/// A behaviour of upstream that the spec names (`Q1`–`Q21` in `transformer-spec.md` §10, `R1`–`R18` in
/// `upstream-divergences.md`), with the one line a user needs when it fires.
public struct SpecRule: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// `Q18`, `R4`, …
  public let id: String
  /// What it means for the user, in one line.
  public let consequence: String

  public var description: String { "\(id): \(consequence)" }

  public static func < (a: SpecRule, b: SpecRule) -> Bool {
    (a.id.first ?? " ", Int(a.id.dropFirst().prefix { $0.isNumber }) ?? 0, a.id)
      < (b.id.first ?? " ", Int(b.id.dropFirst().prefix { $0.isNumber }) ?? 0, b.id)
  }

  /// Every rule the built-in transformer can fire. Q13 is the delivery handler's (see `Delivery`), not the
  /// transformer's, and is not listed.
  public static let all: [SpecRule] = [
    q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q14, q15, q16, q17, q18, q19, q20, q21,
    r1, r2, r2b, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18,
  ]

  static let q1 = SpecRule(
    id: "Q1",
    consequence:
      "v1 hashes the one shared properties.context.user once per target: every request shows the N-times-hashed email and phone"
  )
  static let q2 = SpecRule(
    id: "Q2",
    consequence:
      "a missing setting takes the transformer's default, not the UI's: no version means Events 1.0, no hashUserProperties means no hashing"
  )
  static let q3 = SpecRule(
    id: "Q3", consequence: "the v1 'Access Token not found. Aborting ' message ends with a space")
  static let q4 = SpecRule(
    id: "Q4",
    consequence: "a value that already looks like a SHA-256 hex digest is hashed again; TikTok cannot match it")
  static let q5 = SpecRule(
    id: "Q5",
    consequence: "a number counts as empty here: a numeric external id is dropped, a numeric phone is not hashed")
  static let q6 = SpecRule(
    id: "Q6", consequence: "an array of emails becomes one comma-joined string, hashed as one value")
  static let q7 = SpecRule(
    id: "Q7",
    consequence: "an epoch-millisecond timestamp passes through unchanged, still in ms; TikTok expects seconds")
  static let q8 = SpecRule(id: "Q8", consequence: "a product without product_id gets content_id \"undefined\"")
  static let q9 = SpecRule(
    id: "Q9", consequence: "v1 ignores products when no other property maps, so no contents are sent")
  static let q10 = SpecRule(
    id: "Q10", consequence: "v1 content_type defaults differ between given contents and contents built from products")
  static let q11 = SpecRule(
    id: "Q11",
    consequence:
      "v2 copies test_event_code raw (\"\" and null reach the body); the router batches events whose code is falsy")
  static let q12 = SpecRule(
    id: "Q12", consequence: "a whitespace-only event name is sent as a custom event in v1 and rejected in v2")
  static let q14 = SpecRule(
    id: "Q14",
    consequence:
      "events of one router group use the first event's version, and each batch its first event's token and pixel code")
  static let q15 = SpecRule(
    id: "Q15",
    consequence: "an eventsToStandard `to` is used verbatim, without checking it against TikTok's standard events")
  static let q16 = SpecRule(
    id: "Q16", consequence: "this built-in mapping is in upstream's code but not in its README")
  static let q17 = SpecRule(
    id: "Q17", consequence: "a router input whose message has a truthy statusCode is taken as already transformed")
  static let q18 = SpecRule(
    id: "Q18", consequence: "non-ASCII text hashed over UTF-16 low bytes; TikTok cannot match it to a user")
  static let q19 = SpecRule(
    id: "Q19", consequence: "a lone UTF-16 surrogate makes v1 hashing fail with 'URI malformed'")
  static let q20 = SpecRule(
    id: "Q20", consequence: "a date-time without an offset is read in upstream's local time zone, which is UTC")
  static let q21 = SpecRule(
    id: "Q21", consequence: "upstream's JavaScript threw: status 500 with the engine's message")
  static let r1 = SpecRule(
    id: "R1",
    consequence:
      "the name is a member every JavaScript object has, so upstream's lookup finds it and produces no event or fails")
  static let r2 = SpecRule(
    id: "R2", consequence: "JavaScript's full Unicode toLowerCase changed non-ASCII letters (final sigma, dotted İ)")
  static let r2b = SpecRule(id: "R2b", consequence: "JavaScript's trim removed non-ASCII white space")
  static let r3 = SpecRule(
    id: "R3",
    consequence: "a Reverse-ETL event: timestamp taken from the event's own time fields (properties.timestamp first)")
  static let r4 = SpecRule(
    id: "R4",
    consequence:
      "a dynamic-config template read this value from the event, and the field was then deleted from the event")
  static let r5 = SpecRule(
    id: "R5",
    consequence: "a malformed eventsToStandard row makes upstream's JavaScript throw before the name is resolved")
  static let r6 = SpecRule(id: "R6", consequence: "a missing or non-object message is treated as {}")
  static let r7 = SpecRule(id: "R7", consequence: "a Config that is not an object is read as an empty Config")
  static let r8 = SpecRule(
    id: "R8",
    consequence: "a non-string field that upstream lowercases (type, context.os.name) makes its JavaScript throw")
  static let r9 = SpecRule(
    id: "R9", consequence: "a present but falsy properties.contentType falls back to \"product_group\"")
  static let r10 = SpecRule(id: "R10", consequence: "a boolean timestamp counts as present and gives event_time 0")
  static let r11 = SpecRule(id: "R11", consequence: "the error text is V8's, unchanged")
  static let r12 = SpecRule(
    id: "R12",
    consequence:
      "the group's first event has more data entries than the limit: an empty batch is flushed and sorted last")
  static let r13 = SpecRule(
    id: "R13", consequence: "an event without a destination fails the whole router request")
  static let r14 = SpecRule(
    id: "R14", consequence: "a pre-transformed v2 body without data fails its whole router group")
  static let r15 = SpecRule(
    id: "R15", consequence: "numbers are sent as JavaScript prints a double (46.0 as 46, integers beyond 2^53 rounded)")
  static let r16 = SpecRule(
    id: "R16",
    consequence: "v1 and v2 Configs under one destination: events follow the order upstream's promises settle in")
  static let r17 = SpecRule(id: "R17", consequence: "an empty router input is refused as a whole")
  static let r18 = SpecRule(
    id: "R18", consequence: "metadata without a numeric jobId: the output order is V8's sort with a NaN comparator")
}
