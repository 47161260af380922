import JSON

/// Turns captured events into the input of a new golden case: redacts personal data when asked (``Redactor``), and
/// always replaces access tokens (any secret-named member: `accessToken`, `Access-Token`, `secret`, …) unless told
/// to keep them; then finds whatever sensitive value would still be written (``leftovers(original:in:items:)``).
public struct CaseRecorder: Sendable {
  /// Whether to replace personal data with stand-ins.
  public var redact: Bool
  /// Whether to keep access tokens in clear (off by default: tokens never reach a golden file).
  public var keepSecrets: Bool

  /// A recorder.
  public init(redact: Bool, keepSecrets: Bool = false) {
    self.redact = redact
    self.keepSecrets = keepSecrets
  }

  /// The processor request items of the captured `documents` with `destination` (given to every event), as
  /// captured and as they will be written (redacted and with secrets masked, as configured).
  /// - Throws: ``GoldenError/badCapture(_:)`` when the capture or destination has an unknown shape.
  public func items(documents: [JSONValue], destination: JSONValue?) throws(GoldenError) -> (
    original: [JSONValue], written: [JSONValue]
  ) {
    let dest = try destination.map { v throws(GoldenError) in try Capture.destination(from: v) }
    let original = try Capture.processorItems(documents, destination: dest)
    var written = original
    if redact { written = written.map { Redactor().redact($0) } }
    if !keepSecrets { written = written.map { Self.maskingSecrets($0) } }
    return (original, written)
  }

  /// The processor request body for the captured `documents` and `destination`, redacted as configured.
  /// - Throws: ``GoldenError/badCapture(_:)`` when the capture or destination has an unknown shape.
  public func processorRequest(documents: [JSONValue], destination: JSONValue?) throws(GoldenError) -> JSONValue {
    .array(try items(documents: documents, destination: destination).written)
  }

  /// `value` with every string under a secret-named member replaced by ``Redactor/secretStandIn`` (a dynamic
  /// config template keeps its structure; its default is replaced).
  public static func maskingSecrets(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for e in object.entries {
        out.appendUnchecked(e.key, RedactionRules.isSecretKey(e.key) ? maskAll(e.value) : maskingSecrets(e.value))
      }
      return .object(out)
    case .array(let items): return .array(items.map(maskingSecrets))
    default: return value
    }
  }

  private static func maskAll(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let s) where !s.isEmpty:
      if let template = DynamicTemplate(s) { return .string(template.replacingDefault { _ in Redactor.secretStandIn }) }
      return .string(Redactor.secretStandIn)
    case .object(let o):
      var out = JSONObject(minimumCapacity: o.count)
      for e in o.entries { out.appendUnchecked(e.key, maskAll(e.value)) }
      return .object(out)
    case .array(let items): return .array(items.map(maskAll))
    default: return value
    }
  }

  /// What sensitive data from `original` (the captured items, before any replacement) `document` (the case file,
  /// its processor request items at pointer `items`) would still hold, each named by JSON Pointer and kind: access
  /// tokens anywhere, and with ``redact`` the capture's replaced values (outside the expected output), their
  /// SHA-256 in the expected output, and emails, phone numbers or IP addresses in the values kept verbatim, the
  /// member names and the description. Empty when the file is clean.
  public func leftovers(original: [JSONValue], in document: JSONValue, items: JSONPointer) -> [Leftover] {
    LeftoverScan(original: original, redact: redact, secrets: redact || !keepSecrets).leftovers(
      in: document, items: items)
  }
}
