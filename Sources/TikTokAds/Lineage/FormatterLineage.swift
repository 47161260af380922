import JSON

extension Formatter {
  /// The step's name in an explanation.
  var stepName: String {
    switch self {
    case .toString: return "String()"
    case .trim: return "trim"
    case .toLower: return "toLowerCase"
    case .hashToSha256: return "sha256 (UTF-16 low bytes)"
    case .removeSpacesAndDashes: return "remove spaces and dashes"
    case .secondTimestamp: return "seconds from date (new Date)"
    case .allowedKeyCheck(let allowed): return "uppercase, kept if one of \(allowed.joined(separator: ", "))"
    }
  }

  /// The spec rules this step fires for `input` (it gave `output`).
  func rules(input: JSONValue, output: JSONValue?) -> [SpecRule] {
    switch self {
    case .toLower:
      var rules: [SpecRule] = []
      if case .array = input { rules.append(.q6) }
      if case .string(let s)? = output, !s.utf8.allSatisfy({ $0 < 0x80 }), input.jsString != s { rules.append(.r2) }
      return rules
    case .trim:
      guard case .string(let s) = input, case .string(let t)? = output else { return [] }
      return s != t && s.unicodeScalars.contains(where: { $0.value >= 0x80 && isJSWhitespace($0) }) ? [.r2b] : []
    case .hashToSha256:
      return HashLineage.rules(hashing: input.jsString, utf16LowBytes: true)
    case .secondTimestamp:
      if case .bool = input { return [.r10] }
      if let output, output.isIdentical(to: input), input.isNumber || input.stringValue != nil { return [.q7] }
      if case .string(let text) = input, V8DateParser.isLocalTime(text) { return [.q20] }
      return []
    case .toString, .removeSpacesAndDashes, .allowedKeyCheck:
      return []
    }
  }
}

/// The rules hashing fires.
enum HashLineage {
  /// Q4 when the value already looks like a SHA-256 hex digest; Q18 when the UTF-16 low-byte hash differs from a
  /// UTF-8 hash (non-ASCII text, v2 only).
  static func rules(hashing text: String, utf16LowBytes: Bool) -> [SpecRule] {
    var rules: [SpecRule] = []
    if text.utf8.count == 64,
      text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
    {
      rules.append(.q4)
    }
    if utf16LowBytes, !text.utf8.allSatisfy({ $0 < 0x80 }) { rules.append(.q18) }
    return rules
  }
}

/// The rules JavaScript's string operations fire on a value.
enum TextRules {
  /// R2 when `toLowerCase` changes a non-ASCII character (Greek capitals, final sigma, `İ`).
  static func lowercase(_ text: String) -> [SpecRule] {
    text.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.changesWhenLowercased } ? [.r2] : []
  }

  /// R2b when `trim` removes non-ASCII white space.
  static func trim(_ text: String) -> [SpecRule] {
    let scalars = text.unicodeScalars
    let edge = scalars.prefix { isJSWhitespace($0) } + scalars.reversed().prefix { isJSWhitespace($0) }
    return edge.contains { $0.value >= 0x80 } ? [.r2b] : []
  }
}
