/// A token of V8's date-string scanner.
struct DateToken {
  enum Keyword: Equatable {
    case invalid, monthName, timeZoneName, timeSeparator, amPm
  }

  enum Kind: Equatable {
    case number
    case symbol(Unicode.Scalar)
    case keyword(Keyword, Int)
    case whiteSpace
    case unknown
    case end
  }

  let kind: Kind
  /// Numbers: the value of the first nine significant digits.
  var number = 0
  /// Numbers and words: the length in characters (leading zeros included).
  var length = 0

  static let end = DateToken(kind: .end)

  var isEnd: Bool { kind == .end }
  var isNumber: Bool { kind == .number }
  var isWhiteSpace: Bool { kind == .whiteSpace }
  func isNumber(length: Int) -> Bool { kind == .number && self.length == length }
  func isSymbol(_ s: Unicode.Scalar) -> Bool { kind == .symbol(s) }
  var isSign: Bool { isSymbol("+") || isSymbol("-") }
  var symbol: Unicode.Scalar? {
    if case .symbol(let s) = kind { return s }
    return nil
  }
  func isKeyword(_ type: Keyword) -> Bool {
    if case .keyword(let t, _) = kind { return t == type }
    return false
  }
  /// `Z` (a one-letter time zone word).
  var isKeywordZ: Bool { kind == .keyword(.timeZoneName, 0) && length == 1 }
}

/// V8's `DateStringTokenizer` over the string's characters, with one token of look-ahead.
struct DateTokenizer {
  static let maxSignificantDigits = 9

  private let chars: [Unicode.Scalar]
  private var index = 0
  private(set) var peek = DateToken.end

  init(_ text: String) {
    // A NUL character ends the input, as in V8's reader.
    chars = Array(text.unicodeScalars.prefix { $0.value != 0 })
    peek = scan()
  }

  mutating func next() -> DateToken {
    let token = peek
    peek = scan()
    return token
  }

  mutating func skip(_ symbol: Unicode.Scalar) -> Bool {
    guard peek.isSymbol(symbol) else { return false }
    peek = scan()
    return true
  }

  private var current: Unicode.Scalar? { index < chars.count ? chars[index] : nil }

  private mutating func scan() -> DateToken {
    guard let c = current else { return .end }
    let start = index
    if isDigit(c) {
      var n = 0
      var significant = 0
      while let d = current, d == "0" { index += 1 }
      while let d = current, isDigit(d) {
        if significant < Self.maxSignificantDigits { n = n * 10 + Int(d.value - 0x30) }
        significant += 1
        index += 1
      }
      return DateToken(kind: .number, number: n, length: index - start)
    }
    if Self.isSymbol(c) {
      index += 1
      return DateToken(kind: .symbol(c))
    }
    if c.value >= 0x41 && !isWhiteSpace(c) {
      var prefix: UInt64 = 0  // the first three characters, lowercased, 21 bits each
      while let w = current, w.value >= 0x41, !isWhiteSpace(w) {
        if index - start < 3 { prefix |= UInt64(w.value | 0x20) << (21 * UInt64(2 - (index - start))) }
        index += 1
      }
      let length = index - start
      let (type, value) = Self.keyword(prefix, length: length)
      return DateToken(kind: .keyword(type, value), length: length)
    }
    if isJSWhitespace(c) {
      index += 1
      return DateToken(kind: .whiteSpace, length: 1)
    }
    if c == "(" {
      var balance = 0
      repeat {
        if current == ")" { balance -= 1 } else if current == "(" { balance += 1 }
        index += 1
      } while balance > 0 && current != nil
      return DateToken(kind: .unknown)
    }
    index += 1
    return DateToken(kind: .unknown)
  }

  private func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

  /// `:`, `-`, `+`, `.` or `)`: the characters V8's scanner returns as symbols.
  private static func isSymbol(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case ":", "-", "+", ".", ")": return true
    default: return false
    }
  }

  /// JavaScript WhiteSpace (not line terminators), which ends a word.
  private func isWhiteSpace(_ c: Unicode.Scalar) -> Bool {
    isJSWhitespace(c) && !(c.value == 0x0A || c.value == 0x0D || c.value == 0x2028 || c.value == 0x2029)
  }

  private static let keywords: [(String, DateToken.Keyword, Int)] = [
    ("jan", .monthName, 1), ("feb", .monthName, 2), ("mar", .monthName, 3), ("apr", .monthName, 4),
    ("may", .monthName, 5), ("jun", .monthName, 6), ("jul", .monthName, 7), ("aug", .monthName, 8),
    ("sep", .monthName, 9), ("oct", .monthName, 10), ("nov", .monthName, 11), ("dec", .monthName, 12),
    ("am", .amPm, 0), ("pm", .amPm, 12), ("ut", .timeZoneName, 0), ("utc", .timeZoneName, 0),
    ("z", .timeZoneName, 0), ("gmt", .timeZoneName, 0), ("cdt", .timeZoneName, -5), ("cst", .timeZoneName, -6),
    ("edt", .timeZoneName, -4), ("est", .timeZoneName, -5), ("mdt", .timeZoneName, -6), ("mst", .timeZoneName, -7),
    ("pdt", .timeZoneName, -7), ("pst", .timeZoneName, -8), ("t", .timeSeparator, 0),
  ]

  /// Each keyword's name packed as a word's prefix is (three characters, 21 bits each, zeros for missing ones).
  private static let packedKeywords: [(UInt64, DateToken.Keyword, Int)] = keywords.map { name, type, value in
    var packed: UInt64 = 0
    for (i, c) in name.unicodeScalars.enumerated() { packed |= UInt64(c.value) << (21 * UInt64(2 - i)) }
    return (packed, type, value)
  }

  /// The keyword a word's lowercased three-character prefix names (packed: see ``packedKeywords``); only month
  /// names may be longer than three.
  private static func keyword(_ prefix: UInt64, length: Int) -> (DateToken.Keyword, Int) {
    for (key, type, value) in packedKeywords where key == prefix && (length <= 3 || type == .monthName) {
      return (type, value)
    }
    return (.invalid, 0)
  }
}
