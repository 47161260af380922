import JSON
import SHA256

/// Something sensitive a recording would write: where (a JSON Pointer into the case file) and what kind
/// (`email address`, `phone number`, `IP address`, `access token`, `hash of personal data`, `personal data`).
public struct Leftover: Sendable, Equatable, CustomStringConvertible {
  /// Where in the case file.
  public var pointer: JSONPointer
  /// What it looks like.
  public var kind: String

  /// A leftover.
  public init(pointer: JSONPointer, kind: String) {
    self.pointer = pointer
    self.kind = kind
  }

  /// `POINTER: KIND`, e.g. `/input/0/message/event: email address`.
  public var description: String { "\(pointer): \(kind)" }
}

/// Finds what a recording would leak: values of the capture that were meant to be replaced (access tokens, and with
/// redaction every string outside ``RedactionRules/isKept(_:)``) found again in the file, their SHA-256 in the
/// expected output, and personal-data shapes (emails, phone numbers, IP addresses) inside the values kept verbatim.
struct LeftoverScan {
  /// Lower-cased values and words of the capture that must not be written, with their kind.
  private var sensitive: [String: String] = [:]
  /// Their SHA-256 (hex), as a transformer would hash them.
  private var hashes: Set<String> = []
  /// Whether personal data was redacted (else only secrets are looked for).
  private let redact: Bool

  /// Whether secrets are looked for (not when they are kept in clear on purpose).
  private let secrets: Bool

  /// Whether the SHA-256 of each sensitive value is computed (to find hashes of personal data in a case file).
  private let hashing: Bool

  /// Collects the sensitive values of `original` (processor request items, before any replacement).
  init(original: [JSONValue], redact: Bool, secrets: Bool, hashing: Bool = true) {
    self.redact = redact
    self.secrets = secrets
    self.hashing = hashing
    var kept: Set<String> = []
    for item in original { collect(item, path: [], kept: &kept) }
    for word in kept { sensitive.removeValue(forKey: word) }
  }

  private mutating func collect(_ value: JSONValue, path: [String], kept: inout Set<String>) {
    switch value {
    case .object(let o): for e in o.entries { collect(e.value, path: path + [e.key], kept: &kept) }
    case .array(let a): for v in a { collect(v, path: path + ["#"], kept: &kept) }
    case .string(let s):
      switch RedactionRules.rule(for: path) {
      case .keep:
        kept.formUnion(Self.words(s))
      case .secret:
        let core = s.trimmingWhitespace()
        if secrets && core.count >= 4 && core != Redactor.secretStandIn {
          sensitive[core.lowercased()] = "access token"
        }
      case .standIn:
        guard redact, !StandIn.keptWords.contains(s.trimmingWhitespace()) else { return }
        let kind = Self.kind(of: s)
        // What the stand-in keeps on purpose (a URL's scheme, host and parameter names) is not sensitive.
        for word in Self.words(s).subtracting(Self.words(StandIn.string(s))) {
          sensitive[word] = Self.kind(of: word) == "personal data" ? kind : Self.kind(of: word)
        }
        let core = s.trimmingWhitespace()
        if hashing && core.count >= 3 {
          // As the mappings hash them: as given, lower-cased (emails, names), without spaces and dashes (postcodes).
          let compact = core.filter { $0 != " " && $0 != "-" }
          for variant in Set([core, core.lowercased(), compact, compact.lowercased()]) {
            hashes.insert(SHA256.hexDigest(Array(variant.utf8)))
          }
        }
      }
    case .int, .double, .numberLiteral:
      if redact, RedactionRules.isPersonalNumber(path), value.compactString().count >= 5 {
        sensitive[value.compactString()] = "personal data"
      }
    default: break
    }
  }

  /// The leftovers in `document` (the case file), whose processor request items sit at `items`.
  func leftovers(in document: JSONValue, items: JSONPointer) -> [Leftover] {
    var found: [Leftover] = []
    var seen: Set<JSONPointer> = []
    func add(_ pointer: JSONPointer, _ kind: String) {
      if seen.insert(pointer).inserted { found.append(Leftover(pointer: pointer, kind: kind)) }
    }
    // Values of the capture, anywhere but in the expected output, which is computed from the written input (so
    // it holds the transformer's own constants, which may equal a redacted word).
    walk(document, at: .root) { pointer, text, isKey in
      let inExpected = pointer.tokens.first == "expected"
      for word in Self.words(text) {
        guard let kind = sensitive[word] else { continue }
        if !inExpected || kind == "access token" { add(pointer, kind) }
      }
      if redact, inExpected, !isKey, hashes.contains(text) { add(pointer, "hash of personal data") }
    }
    guard redact else { return found }
    // Personal-data shapes in what is written verbatim: kept values, member names, the description.
    if let description = document["description"]?.stringValue, let kind = Self.shape(description, timestamp: false) {
      add(.root.appending("description"), kind)
    }
    let itemValues = document[items]?.arrayValue ?? []
    for (i, item) in itemValues.enumerated() {
      keptStrings(item, path: [], at: items.appending(index: i)) { pointer, text, key in
        if let kind = Self.shape(text, timestamp: key.map(RedactionRules.isTimestampKey) ?? false) {
          add(pointer, kind)
        }
      }
    }
    return found
  }

  /// The kind of personal data or secret `text` holds: a value (or word of one) of the capture, an email address or
  /// an IPv4 address; `nil` when none.
  func sensitiveKind(_ text: String) -> String? {
    for word in Self.words(text) { if let kind = sensitive[word] { return kind } }
    if let kind = Self.shape(text, timestamp: true) { return kind }
    for word in text.split(whereSeparator: { $0.isWhitespace }) where StandIn.isIPv4(String(word)) {
      return "IP address"
    }
    return nil
  }

  /// The sensitive values of several words (names, addresses), which no single word of a text matches.
  /// Each as its words (lower case) joined by one space.
  var phrases: Set<String> {
    Set(
      sensitive.keys.lazy.filter { $0.contains(where: \.isWhitespace) }.map {
        $0.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      })
  }

  /// Calls `body` with every string leaf and member name under `value`.
  private func walk(_ value: JSONValue, at pointer: JSONPointer, _ body: (JSONPointer, String, Bool) -> Void) {
    switch value {
    case .object(let o):
      for e in o.entries {
        let child = pointer.appending(e.key)
        body(child, e.key, true)
        walk(e.value, at: child, body)
      }
    case .array(let a): for (i, v) in a.enumerated() { walk(v, at: pointer.appending(index: i), body) }
    case .string(let s): body(pointer, s, false)
    default: break
    }
  }

  /// Calls `body` with the strings of `value` kept verbatim by the redactor, and every member name.
  private func keptStrings(
    _ value: JSONValue, path: [String], at pointer: JSONPointer, _ body: (JSONPointer, String, String?) -> Void
  ) {
    switch value {
    case .object(let o):
      for e in o.entries {
        body(pointer.appending(e.key), e.key, nil)
        keptStrings(e.value, path: path + [e.key], at: pointer.appending(e.key), body)
      }
    case .array(let a):
      for (i, v) in a.enumerated() { keptStrings(v, path: path + ["#"], at: pointer.appending(index: i), body) }
    case .string(let s) where RedactionRules.rule(for: path) == .keep: body(pointer, s, path.last)
    default: break
    }
  }

  /// The lower-cased value and its words (split at white space and URL punctuation, percent-decoded), each of at
  /// least 5 characters or holding an `@`; a phone-like word also by its digits alone.
  static func words(_ text: String) -> Set<String> {
    let lower = text.trimmingWhitespace().lowercased()
    var out: Set<String> = []
    guard !lower.isEmpty else { return out }
    if lower.count >= 4 { out.insert(lower) }
    let decoded =
      lower.utf8.contains(UInt8(ascii: "%"))
      ? lower.replacing("%40", with: "@").replacing("%2b", with: "+").replacing("%20", with: " ") : lower
    for word in decoded.split(whereSeparator: { $0.isWhitespace || wordSeparators.contains($0) }) {
      let w = String(word)
      if w.count >= 5 || w.contains("@") { out.insert(w) }
      let digits = w.filter(\.isASCII).filter(\.isNumber)
      if digits.count >= 7 && w.allSatisfy({ $0.isNumber || "+-. ".contains($0) }) { out.insert(digits) }
    }
    return out
  }

  /// The URL and markup punctuation `words(_:)` splits at, besides white space.
  private static let wordSeparators = Set("/?&=#;,\"'()<>[]{}|\\:")

  /// What a value looks like.
  static func kind(of text: String) -> String {
    shape(text, timestamp: false) ?? (text.contains("://") ? "URL" : "personal data")
  }

  /// `email address`, `phone number` or `IP address` when `text` holds one (a timestamp is checked for emails
  /// only: its digits are not a phone).
  static func shape(_ text: String, timestamp: Bool) -> String? {
    let decoded = text.utf8.contains(UInt8(ascii: "%")) ? text.replacing("%40", with: "@") : text
    if let at = decoded.firstIndex(of: "@"), at != decoded.startIndex,
      decoded[decoded.index(after: at)...].contains("."),
      decoded[decoded.index(before: at)].isLetter || decoded[decoded.index(before: at)].isNumber
    {
      return "email address"
    }
    guard !timestamp else { return nil }
    var run = 0
    var best = 0
    for c in text {
      if c.isASCII && c.isNumber {
        run += 1
        best = max(best, run)
      } else if !" -().+".contains(c) {
        run = 0
      }
    }
    if best >= 7 { return "phone number" }
    for word in text.split(whereSeparator: { $0.isWhitespace }) where StandIn.isIPv4(String(word)) {
      return "IP address"
    }
    return nil
  }
}
