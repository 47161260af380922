import JSON
import SHA256

/// Stable, format-preserving stand-ins: a function of the value alone (never of where it sits), drawn from a
/// SHA-256 stream seeded with the value, so a recording is reproducible and equal values stay equal.
///
/// - White space around the value is kept; empty and white-space-only strings, and the words `true`, `false`,
///   `null`, `undefined`, `NaN`, are kept (they carry JavaScript meaning, not personal data).
/// - A URL keeps its scheme, host, port and parameter names; its path, user info and fragment are scrambled, and each
///   parameter value gets its own stand-in (percent-decoded first, so an encoded email is found and replaced).
/// - An email keeps `@`, its dots and its top-level domain; a UUID stays a UUID (version and variant kept); hex
///   stays hex of the same length and case; an IPv4 address becomes one in 192.0.2.0/24, IPv6 one in 2001:db8::/32.
/// - Anything else is scrambled character by character: an ASCII letter becomes an ASCII letter of the same case,
///   a digit a digit, a non-ASCII letter another letter of the same Unicode block and case (letters whose case
///   mapping is special, such as `Σ` or `İ`, are kept, so lowercasing behaves as before); punctuation, symbols and
///   white space are kept. So a phone keeps its `+`, digit count and separators, and a name its capitals.
public enum StandIn {
  /// The stand-in for `s`.
  public static func string(_ s: String) -> String {
    let core = s.trimmingWhitespace()
    guard !core.isEmpty, !keptWords.contains(core) else { return s }
    let lead = String(s.prefix(while: \.isWhitespace))
    let trail = String(String(s.reversed()).prefix(while: \.isWhitespace).reversed())
    var stream = Stream(core)
    return lead + standIn(core, &stream) + trail
  }

  /// A number at a personal-data key: the same sign, digit count and exponent; zero stays zero.
  public static func number(_ value: JSONValue) -> JSONValue {
    var stream = Stream(value.compactString())
    switch value {
    case .int(let i):
      guard i != 0 else { return value }
      let digits = String(i.magnitude).count
      var text = String(1 + Int(stream.next() % (digits == 19 ? 8 : 9)))
      for _ in 1..<max(1, digits) { text += String(stream.next() % 10) }
      let n = Int64(text) ?? i
      return .int(i < 0 ? -n : n)
    case .double, .numberLiteral:
      let text = value.compactString()
      var out = ""
      var inExponent = false
      var leading = true
      for c in text {
        if c == "e" || c == "E" { inExponent = true }
        if !inExponent, let d = c.wholeNumberValue, c.isASCII {
          // The first significant digit stays non-zero, so a non-zero value stays non-zero.
          let digit = leading && d != 0 ? 1 + Int(stream.next() % 9) : (d == 0 && leading ? 0 : Int(stream.next() % 10))
          if d != 0 { leading = false }
          out += String(digit)
        } else {
          out.append(c)
        }
      }
      if let d = Double(out), d.isFinite { return .double(d) }
      return value
    default:
      return value
    }
  }

  static let keptWords: Set<String> = ["true", "false", "null", "undefined", "NaN", "Infinity", "-Infinity"]

  private static func standIn(_ s: String, _ stream: inout Stream) -> String {
    if let url = url(s, &stream) { return url }
    if let email = email(s, &stream) { return email }
    if isUUID(s) { return hex(s, keeping: [14, 19], &stream) }
    if s.utf8.count >= 16, s.utf8.allSatisfy(isHexDigit) { return hex(s, keeping: [], &stream) }
    if isIPv4(s) { return "192.0.2.\(1 + Int(stream.next()) % 254)" }
    if isIPv6(s) { return "2001:db8::" + String(stream.next16(), radix: 16) }
    return scramble(s, &stream)
  }

  /// Letters to letters of the same case, digits to digits; everything else kept. `%XX` escapes are kept whole.
  static func scramble(_ s: String, _ stream: inout Stream) -> String {
    var out = String.UnicodeScalarView()
    let scalars = Array(s.unicodeScalars)
    var i = 0
    while i < scalars.count {
      let c = scalars[i]
      if c == "%", i + 2 < scalars.count, isHexScalar(scalars[i + 1]), isHexScalar(scalars[i + 2]) {
        out.append(contentsOf: scalars[i...(i + 2)])
        i += 3
        continue
      }
      out.append(scrambled(c, &stream))
      i += 1
    }
    return String(out)
  }

  private static func scrambled(_ c: Unicode.Scalar, _ stream: inout Stream) -> Unicode.Scalar {
    switch c.value {
    case 0x61...0x7A: return Unicode.Scalar(0x61 + UInt32(stream.next() % 26))!
    case 0x41...0x5A: return Unicode.Scalar(0x41 + UInt32(stream.next() % 26))!
    case 0x30...0x39: return Unicode.Scalar(0x30 + UInt32(stream.next() % 10))!
    default:
      guard c.value > 0x7F, c.properties.isAlphabetic, isOrdinaryLetter(c) else { return c }
      let block = c.value & ~0x7F
      for _ in 0..<16 {
        guard let candidate = Unicode.Scalar(block + UInt32(stream.next() % 128)) else { continue }
        if candidate.properties.isAlphabetic, isOrdinaryLetter(candidate),
          candidate.properties.isUppercase == c.properties.isUppercase,
          candidate.properties.isLowercase == c.properties.isLowercase,
          candidate.properties.generalCategory == c.properties.generalCategory
        {
          return candidate
        }
      }
      return c
    }
  }

  /// A letter whose lower- and upper-case mappings are single scalars and not context-dependent.
  private static func isOrdinaryLetter(_ c: Unicode.Scalar) -> Bool {
    guard !specialCase.contains(c.value) else { return false }
    return c.properties.lowercaseMapping.unicodeScalars.count == 1
      && c.properties.uppercaseMapping.unicodeScalars.count == 1
  }

  /// Sigmas (final-sigma lowercasing), dotted and dotless i.
  private static let specialCase: Set<UInt32> = [0x3A3, 0x3C2, 0x3C3, 0x130, 0x131]

  private static func email(_ s: String, _ stream: inout Stream) -> String? {
    let parts = s.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !s.contains(where: \.isWhitespace),
      let dot = parts[1].lastIndex(of: "."), dot != parts[1].startIndex
    else { return nil }
    let domain = parts[1]
    return scramble(String(parts[0]), &stream) + "@" + scramble(String(domain[..<dot]), &stream)
      + String(domain[dot...])
  }

  /// `scheme://[userinfo@]host[:port][/path][?query][#fragment]`, or `nil` when `s` is not such a URL.
  private static func url(_ s: String, _ stream: inout Stream) -> String? {
    guard let schemeEnd = s.firstRange(of: "://"), !s.contains(where: \.isWhitespace) else { return nil }
    let scheme = s[..<schemeEnd.lowerBound]
    guard let first = scheme.first, first.isASCII, first.isLetter,
      scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
    else { return nil }
    var rest = s[schemeEnd.upperBound...]
    var fragment: Substring?
    if let hash = rest.firstIndex(of: "#") {
      fragment = rest[rest.index(after: hash)...]
      rest = rest[..<hash]
    }
    var query: Substring?
    if let mark = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: mark)...]
      rest = rest[..<mark]
    }
    let slash = rest.firstIndex(of: "/") ?? rest.endIndex
    var authority = rest[..<slash]
    let path = rest[slash...]
    var out = String(scheme) + "://"
    if let at = authority.lastIndex(of: "@") {
      out += scramble(String(authority[..<at]), &stream) + "@"
      authority = authority[authority.index(after: at)...]
    }
    out += authority + scramble(String(path), &stream)
    if let query {
      out +=
        "?"
        + query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
          guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
          return pair[...eq] + parameterValue(String(pair[pair.index(after: eq)...]))
        }.joined(separator: "&")
    }
    if let fragment { out += "#" + scramble(String(fragment), &stream) }
    return out
  }

  /// A query parameter's value: decoded, replaced as a value of its own, encoded again if it was encoded.
  private static func parameterValue(_ raw: String) -> String {
    guard !raw.isEmpty else { return raw }
    let encoded = raw.contains("%") || raw.contains("+")
    let decoded = encoded ? percentDecoded(raw) : raw
    let replaced = string(decoded)
    return encoded ? percentEncoded(replaced) : replaced
  }

  private static func percentDecoded(_ s: String) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(s.utf8)
    var i = 0
    while i < utf8.count {
      if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
        let b = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
      {
        bytes.append(b)
        i += 3
      } else {
        bytes.append(utf8[i] == UInt8(ascii: "+") ? 0x20 : utf8[i])
        i += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func percentEncoded(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      let c = Unicode.Scalar(b)
      if b < 0x80 && (c.properties.isAlphabetic || (0x30...0x39).contains(b) || "-._~".unicodeScalars.contains(c)) {
        out.unicodeScalars.append(c)
      } else {
        out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
      }
    }
    return out
  }

  /// Hex digits to hex digits of the same case; the positions in `keeping` (and non-hex characters) are kept.
  private static func hex(_ s: String, keeping: Set<Int>, _ stream: inout Stream) -> String {
    var out = ""
    for (i, c) in s.enumerated() {
      guard !keeping.contains(i), c.isHexDigit else {
        out.append(c)
        continue
      }
      let digit = String(stream.next() % 16, radix: 16, uppercase: c.isUppercase)
      out += digit
    }
    return out
  }

  private static func isHexDigit(_ b: UInt8) -> Bool {
    (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
  }

  private static func isHexScalar(_ c: Unicode.Scalar) -> Bool { c.isASCII && isHexDigit(UInt8(c.value)) }

  static func isUUID(_ s: String) -> Bool {
    let utf8 = Array(s.utf8)
    guard utf8.count == 36 else { return false }
    for (i, b) in utf8.enumerated() {
      if [8, 13, 18, 23].contains(i) {
        guard b == UInt8(ascii: "-") else { return false }
      } else if !isHexDigit(b) {
        return false
      }
    }
    return true
  }

  static func isIPv4(_ s: String) -> Bool {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { p in p.count <= 3 && UInt8(p) != nil }
  }

  static func isIPv6(_ s: String) -> Bool {
    s.filter { $0 == ":" }.count >= 2 && s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
  }

  /// The bytes of SHA-256(`tiktok-harness-redact-v2:` + seed), then of SHA-256 of each previous block.
  struct Stream {
    private var block: [UInt8]
    private var position = 0

    init(_ seed: String) {
      block = SHA256.hash(Array("tiktok-harness-redact-v2:\(seed)".utf8))
    }

    mutating func next() -> UInt8 {
      if position == block.count {
        block = SHA256.hash(block)
        position = 0
      }
      defer { position += 1 }
      return block[position]
    }

    mutating func next16() -> UInt16 { UInt16(next()) << 8 | UInt16(next()) }
  }
}
