import JSON

/// Keeps a capture's personal data and secrets out of what `compare` prints and reports, unless asked for.
///
/// Default-deny, as `record --redact` is: every string of the capture that redaction would replace (all but the
/// values the mapping needs as they are: event names, `type`, enumerations, config flags), every personal number
/// (phones, ids), the access token, and anything shaped like an email or IPv4 address is masked wherever it shows
/// in a difference or a message: a value as `"<personal data: 16 characters>"` (its kind, its length), a word of a
/// message as `<personal data>`. Hashes of personal data stay visible: they are what TikTok receives, not the data.
public struct PersonalDataMask: Sendable {
  private let scan: LeftoverScan
  /// Sensitive values of several words, each as its words joined by one space.
  private let phrases: Set<String>
  /// The most words a phrase has.
  private let longestPhrase: Int

  /// The mask for processor request items of a capture (before any redaction): an event's own item masks its
  /// result (the values its answer can hold come from its message and destination).
  public init(capture items: [JSONValue]) {
    scan = LeftoverScan(original: items, redact: true, secrets: true, hashing: false)
    phrases = scan.phrases
    longestPhrase = phrases.map { $0.split(separator: " ").count }.max() ?? 0
  }

  /// `result` masked by the values of `item`, the event it is about (a passed result is returned as it is, with no
  /// scan of the event).
  public static func mask(_ result: CaseResult, item: JSONValue) -> CaseResult {
    if case .passed = result.outcome { return result }
    return PersonalDataMask(capture: [item]).mask(result)
  }

  /// `result` with every value of its differences, and its message, masked.
  public func mask(_ result: CaseResult) -> CaseResult {
    var out = result
    switch result.outcome {
    case .passed: return result  // nothing printed but its name and location (file, index, event name)
    case .failed(let mismatches): out.outcome = .failed(mismatches.map(mask))
    case .updated(let mismatches): out.outcome = .updated(mismatches.map(mask))
    case .error(let message): out.outcome = .error(maskWords(message))
    case .malformed(let message): out.outcome = .malformed(maskWords(message))
    case .skipped(let message): out.outcome = .skipped(maskWords(message))
    }
    out.location = maskWords(result.location)
    return out
  }

  /// `mismatch` with its expected and actual values masked.
  public func mask(_ mismatch: Mismatch) -> Mismatch {
    // A secret-named member is masked with its length by ``SecretMask`` wherever results are printed.
    if SecretMask.isSecret(mismatch.pointer) { return mismatch }
    var out = mismatch
    out.expected = mismatch.expected.map(mask)
    out.actual = mismatch.actual.map(mask)
    return out
  }

  /// `value` with every sensitive string (member names included) and personal number replaced.
  public func mask(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let o):
      var out = JSONObject(minimumCapacity: o.count)
      for e in o.entries {
        out.appendUnchecked(maskKey(e.key), SecretMask.isSecretKey(e.key) ? e.value : mask(e.value))
      }
      return .object(out)
    case .array(let a): return .array(a.map(mask))
    case .string(let s): return scan.sensitiveKind(s).map { .string("<\($0): \(s.count) characters>") } ?? value
    case .int, .double, .numberLiteral:
      let text = value.compactString()
      return scan.sensitiveKind(text).map { .string("<\($0): \(text.count) digits>") } ?? value
    default: return value
    }
  }

  private func maskKey(_ key: String) -> String {
    scan.sensitiveKind(key).map { "<\($0): \(key.count) characters>" } ?? key
  }

  /// `text` with each sensitive word (split at white space and quotes) replaced by `<KIND>`; withheld whole when
  /// it holds a sensitive value of several words (a name, an address).
  public func maskWords(_ text: String) -> String {
    if holdsPhrase(text) {
      return "<withheld: holds personal data of the capture; --show-personal-data prints it>"
    }
    guard scan.sensitiveKind(text) != nil else { return text }
    var out = ""
    var word = ""
    func flush() {
      if !word.isEmpty { out += scan.sensitiveKind(word).map { "<\($0)>" } ?? word }
      word = ""
    }
    for c in text {
      if c.isWhitespace || "\"'(),[]{}".contains(c) {
        flush()
        out.append(c)
      } else {
        word.append(c)
      }
    }
    flush()
    return out
  }
  /// Whether a run of `text`'s words (any punctuation around them) is a sensitive value of several words.
  private func holdsPhrase(_ text: String) -> Bool {
    guard longestPhrase > 1 else { return false }
    let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    for start in words.indices {
      var phrase = ""
      for end in start..<min(words.count, start + longestPhrase) {
        phrase += end == start ? words[end] : " " + words[end]
        if end > start, phrases.contains(phrase) || phrases.contains(Self.trimmed(phrase)) { return true }
      }
    }
    return false
  }

  /// `phrase` without punctuation at either end (a name quoted or in parentheses in a message).
  private static func trimmed(_ phrase: String) -> String {
    let punctuation: Set<Character> = ["\"", "'", "(", ")", ",", ".", ":", ";", "[", "]", "{", "}"]
    return String(phrase.drop(while: punctuation.contains).reversed().drop(while: punctuation.contains).reversed())
  }
}
