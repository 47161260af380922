import JSON

/// Turns captured events into the input of a new golden case: redacts personal data when asked, and always
/// replaces access tokens (destination `Config.accessToken`, `metadata.secret`, headers) unless told to keep them.
public struct CaseRecorder: Sendable {
  /// Whether to replace personal data with stand-ins (``Redactor``).
  public var redact: Bool
  /// Whether to keep access tokens in clear (off by default: tokens never reach a golden file).
  public var keepSecrets: Bool

  /// A recorder.
  public init(redact: Bool, keepSecrets: Bool = false) {
    self.redact = redact
    self.keepSecrets = keepSecrets
  }

  /// The processor request body for the captured `documents` and `destination`, redacted as configured.
  /// - Throws: ``GoldenError/badCapture(_:)`` when the capture or destination has an unknown shape.
  public func processorRequest(documents: [JSONValue], destination: JSONValue?) throws(GoldenError) -> JSONValue {
    let dest = try destination.map { v throws(GoldenError) in try Capture.destination(from: v) }
    var items = try Capture.processorItems(documents, destination: dest)
    if redact { items = items.map { Redactor().redact($0) } }
    if !keepSecrets { items = items.map(Self.maskingSecrets) }
    return .array(items)
  }

  /// `value` with every secret-named member (``SecretMask/secretKeys``) replaced by ``Redactor/secretStandIn``.
  public static func maskingSecrets(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for e in object.entries {
        if SecretMask.isSecretKey(e.key) {
          out.appendUnchecked(e.key, maskAll(e.value))
        } else {
          out.appendUnchecked(e.key, maskingSecrets(e.value))
        }
      }
      return .object(out)
    case .array(let items): return .array(items.map(maskingSecrets))
    default: return value
    }
  }

  private static func maskAll(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let s) where !s.isEmpty: return .string(Redactor.secretStandIn)
    case .object(let o):
      var out = JSONObject(minimumCapacity: o.count)
      for e in o.entries { out.appendUnchecked(e.key, maskAll(e.value)) }
      return .object(out)
    case .array(let items): return .array(items.map(maskAll))
    default: return value
    }
  }

  /// Strings from `original` that must not appear in `written`: every string under a secret-named key, and,
  /// when redacting, every string the redactor replaced. Returns the leaked ones (empty when clean).
  public func leaks(original: JSONValue, written: JSONValue) -> [String] {
    var sensitive: Set<String> = []
    Self.collectSecrets(original, into: &sensitive, underSecret: false)
    if redact {
      let redacted = Redactor().redact(original)
      Self.collectReplaced(original, redacted, into: &sensitive)
    }
    sensitive = sensitive.filter { $0.trimmingWhitespace().count >= 5 && $0 != Redactor.secretStandIn }
    guard !sensitive.isEmpty else { return [] }
    var found: Set<String> = []
    Self.forEachString(written) { s in
      for secret in sensitive where s.contains(secret.trimmingWhitespace()) { found.insert(secret) }
    }
    return found.sorted()
  }

  private static func collectSecrets(_ value: JSONValue, into set: inout Set<String>, underSecret: Bool) {
    switch value {
    case .string(let s) where underSecret: set.insert(s)
    case .object(let o):
      for e in o.entries {
        collectSecrets(e.value, into: &set, underSecret: underSecret || SecretMask.isSecretKey(e.key))
      }
    case .array(let a): for v in a { collectSecrets(v, into: &set, underSecret: underSecret) }
    default: break
    }
  }

  private static func collectReplaced(_ a: JSONValue, _ b: JSONValue, into set: inout Set<String>) {
    switch (a, b) {
    case (.string(let x), .string(let y)) where x != y:
      if Redactor.replacingEmails(in: x) != x {
        // Only the email runs were replaced inside free text; the whole text is not sensitive.
        for word in x.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }) where word.contains("@") {
          set.insert(String(word))
        }
      } else {
        set.insert(x)
      }
    case (.int, .int), (.double, .int), (.numberLiteral, .int):
      if a != b { set.insert(a.compactString()) }
    case (.object(let x), .object(let y)):
      for e in x.entries { if let other = y[e.key] { collectReplaced(e.value, other, into: &set) } }
    case (.array(let x), .array(let y)):
      for (p, q) in zip(x, y) { collectReplaced(p, q, into: &set) }
    default: break
    }
  }

  private static func forEachString(_ value: JSONValue, _ body: (String) -> Void) {
    switch value {
    case .string(let s): body(s)
    case .int, .double, .numberLiteral: body(value.compactString())
    case .object(let o): for e in o.entries { forEachString(e.value, body) }
    case .array(let a): for v in a { forEachString(v, body) }
    default: break
    }
  }
}
