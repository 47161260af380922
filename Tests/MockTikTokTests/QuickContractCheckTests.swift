import Foundation
import JSON
import MockTikTok
import TestSupport
import Testing

/// The one-pass check (`ContractValidator.acceptQuickly`) may only accept what the full check (parse, then
/// `validate`) accepts, with the same pixel and events; and it must accept the bodies real clients send, or the
/// mock's hot path is never taken.
@Suite struct QuickContractCheckTests {
  typealias Kind = TikTokEndpoint.Kind
  let validator = ContractValidator()

  func fullCheck(_ bytes: [UInt8], _ kind: Kind) -> AcceptedBody? { validator.acceptFully(bytes, endpoint: kind) }

  /// Checks the rule on one body for one endpoint kind; `true` when the quick check accepted it.
  @discardableResult
  func agree(_ bytes: [UInt8], _ kind: Kind, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let quick = validator.acceptQuickly(bytes, endpoint: kind) else { return false }
    let full = fullCheck(bytes, kind)
    #expect(
      quick == full,
      "\(kind): quick accepted \(quick), full check says \(full.map { "\($0)" } ?? "invalid"): \(String(decoding: bytes, as: UTF8.self))",
      sourceLocation: sourceLocation)
    return true
  }

  static func kind(ofEndpoint url: String) -> Kind? {
    Kind.allCases.first { url.contains($0.rawValue) }
  }

  /// The bodies of the upstream vectors' expected requests and of the contract tests, with their endpoint kinds.
  static func seeds() -> [([UInt8], Kind)] {
    var out: [([UInt8], Kind)] = []
    for r in UpstreamVectorTests.requests() {
      if let kind = kind(ofEndpoint: r.endpoint) { out.append((r.body.compactBytes(), kind)) }
    }
    out.append((Array(pixelTrackBody.utf8), .pixelTrack))
    out.append((Array(pixelBatchBody.utf8), .pixelBatch))
    out.append((Array(eventTrackBody.utf8), .eventTrack))
    return out
  }

  @Test func acceptsWhatRudderStackSends() {
    var accepted = 0
    for (bytes, kind) in Self.seeds() where fullCheck(bytes, kind) != nil {
      #expect(
        agree(bytes, kind), "valid \(kind) body left to the full check: \(String(decoding: bytes, as: UTF8.self))")
      accepted += 1
    }
    #expect(accepted >= 3)
  }

  @Test func leavesEveryViolationToTheFullCheck() {
    let cases: [(String, Kind)] = [
      (#"{"event_source":"web","event_source_id":"P","data":[]}"#, .eventTrack),  // 40061: empty batch
      (#"{"event_source":"web","event_source_id":"P","data":[{"event":"A"}]}"#, .eventTrack),  // no event_time
      // A numeric string: valid, but left to the full check.
      (#"{"event_source":"web","event_source_id":"P","data":[{"event":"A","event_time":"12"}]}"#, .eventTrack),
      (#"{"event_source":"web","event_source_id":"P","data":[{"event":"A","event_time":1.5}]}"#, .eventTrack),
      (#"{"event_source":"tv","event_source_id":"P","data":[{"event":"A","event_time":1}]}"#, .eventTrack),
      (
        #"{"event_source":"web","event_source_id":"P","pixel_code":"Q","data":[{"event":"A","event_time":1}]}"#,
        .eventTrack
      ),
      (#"{"event_source":"web","event_source_id":"P","data":[{"event":"A","event_time":1}],"data":[]}"#, .eventTrack),
      (#"{"event_source":"web","\u0065vent_source_id":"P","data":[{"event":"A","event_time":1}]}"#, .eventTrack),
      (#"{"event_source":"web","event_source_id":"P\u0041","data":[{"event":"A","event_time":1}]}"#, .eventTrack),
      (
        #"{"event_source":"web","event_source_id":"P","data":[{"event":"A","event_time":1,"user":{"email":[1]}}]}"#,
        .eventTrack
      ),
      (#"{"pixel_code":"P","event":null}"#, .pixelTrack),
      (#"{"pixel_code":"P","event":"A","properties":{"value":"x"}}"#, .pixelTrack),
      (#"{"pixel_code":"P","event":"A"} x"#, .pixelTrack),
      (#"{"pixel_code":"P","event":"A",}"#, .pixelTrack),
      (#"{"pixel_code":"P","batch":[{"event":"A","type":"identify"}]}"#, .pixelBatch),
      (#"{"pixel_code":"P","event":"B","batch":[{"event":"A"}]}"#, .pixelBatch),
      ("[]", .pixelTrack), ("", .pixelTrack),
    ]
    for (text, kind) in cases {
      #expect(validator.acceptQuickly(Array(text.utf8), endpoint: kind) == nil, "\(text)")
    }
    let big = "[" + Array(repeating: #"{"event":"A","event_time":1}"#, count: 1001).joined(separator: ",") + "]"
    let tooMany = #"{"event_source":"web","event_source_id":"P","data":"# + big + "}"
    #expect(validator.acceptQuickly(Array(tooMany.utf8), endpoint: .eventTrack) == nil)
    let ok =
      #"{"event_source":"web","event_source_id":"P","data":[{"event":"A","event_time":1,"user":{"email":null}}]}"#
    #expect(validator.acceptQuickly(Array(ok.utf8), endpoint: .eventTrack) == AcceptedBody(pixel: "P", events: ["A"]))
  }

  /// Seeded mutations of every seed body, at the value level (a field removed, nulled or retyped) and at the byte
  /// level (keys inserted at the top, escapes, random bytes), each checked on all three endpoint kinds.
  @Test func agreesWithTheFullCheckOnMutations() {
    var random = SeededRandom(seed: 0x51C0_C4EC)
    let seeds = Self.seeds()
    var accepted = 0
    var checked = 0
    for round in 0..<3000 {
      let (seed, _) = seeds[round % seeds.count]
      guard let value = try? JSONValue.parse(seed) else { continue }
      var bytes: [UInt8]
      switch random.below(4) {
      case 0, 1: bytes = Self.mutateValue(value, &random).compactBytes()
      case 2: bytes = Self.insertTopLevelKey(seed, &random)
      default: bytes = Self.mutateBytes(seed, &random)
      }
      for kind in Kind.allCases {
        checked += 1
        if agree(bytes, kind) { accepted += 1 }
      }
    }
    // Both sides are exercised: many mutants are still valid, many are not.
    #expect(accepted > 500, "\(accepted) of \(checked) accepted")
    #expect(accepted < checked / 2, "\(accepted) of \(checked) accepted")
  }

  static let replacements: [JSONValue] = [
    .null, .string("x"), .string("12"), .string(""), .int(3), .int(-1), .double(1.5), .double(2), .bool(true),
    .array([]), .array([.string("a")]), .array([.int(1)]), .object([:]), .object(["event": .string("E")]),
    .numberLiteral("123456789012345678901234567890"),
  ]

  /// Replaces or removes one randomly chosen value somewhere in `v`.
  static func mutateValue(_ v: JSONValue, _ random: inout SeededRandom) -> JSONValue {
    var paths: [[JSONPathStep]] = []
    collectPaths(v, [], &paths)
    guard let path = paths.isEmpty ? nil : random.pick(paths) else { return v }
    let replacement: JSONValue? = random.chance(0.3) ? nil : random.pick(replacements)
    return replace(v, path[...], with: replacement)
  }

  enum JSONPathStep { case key(String), index(Int) }

  static func collectPaths(_ v: JSONValue, _ prefix: [JSONPathStep], _ out: inout [[JSONPathStep]]) {
    if !prefix.isEmpty { out.append(prefix) }
    switch v {
    case .object(let o): for e in o { collectPaths(e.value, prefix + [.key(e.key)], &out) }
    case .array(let items): for (i, item) in items.enumerated() { collectPaths(item, prefix + [.index(i)], &out) }
    default: break
    }
  }

  static func replace(_ v: JSONValue, _ path: ArraySlice<JSONPathStep>, with new: JSONValue?) -> JSONValue {
    guard let step = path.first else { return new ?? .null }
    switch (v, step) {
    case (.object(var o), .key(let k)):
      if path.count == 1 && new == nil {
        o.removeValue(forKey: k)
      } else {
        o.set(k, replace(o[k] ?? .null, path.dropFirst(), with: new))
      }
      return .object(o)
    case (.array(var items), .index(let i)):
      if path.count == 1 && new == nil {
        items.remove(at: i)
      } else {
        items[i] = replace(items[i], path.dropFirst(), with: new)
      }
      return .array(items)
    default: return v
    }
  }

  static let topKeys = ["event", "pixel_code", "event_source_id", "event_source", "data", "batch", "partner_name", "x"]
  static let topValues = [
    #""P2""#, #""web""#, "null", "1", #"[{"event":"Z","event_time":5}]"#, #"[{"event":"Z"}]"#, "{}",
  ]

  /// Inserts `"key":value,` after the opening brace (duplicate and diverting keys), or escapes a key's first letter.
  static func insertTopLevelKey(_ seed: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
    var text = String(decoding: seed, as: UTF8.self)
    if random.chance(0.2), let r = text.range(of: "\"" + random.pick(topKeys)) {
      let letter = text[text.index(after: r.lowerBound)]
      let escape = "\\u00" + String(letter.asciiValue ?? 0x78, radix: 16)
      text.replaceSubrange(text.index(after: r.lowerBound)...text.index(after: r.lowerBound), with: escape)
      return Array(text.utf8)
    }
    guard let brace = text.firstIndex(of: "{") else { return seed }
    text.insert(contentsOf: "\"\(random.pick(topKeys))\":\(random.pick(topValues)),", at: text.index(after: brace))
    return Array(text.utf8)
  }

  static let interestingBytes: [UInt8] = Array(#""\{}[],:0-.eE n"#.utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x09]

  /// Overwrites, inserts or deletes one to three bytes.
  static func mutateBytes(_ seed: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
    var bytes = seed
    for _ in 0...random.below(3) where !bytes.isEmpty {
      let at = random.below(bytes.count)
      switch random.below(3) {
      case 0: bytes[at] = random.pick(interestingBytes)
      case 1: bytes.insert(random.pick(interestingBytes), at: at)
      default: bytes.remove(at: at)
      }
    }
    return bytes
  }
}
