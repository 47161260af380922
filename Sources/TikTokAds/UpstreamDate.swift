import JSON

/// Date parsing as upstream's `moment(value)` does it for the `secondTimestamp` formatter (spec §5, Q7, Q20).
///
/// Supported: numbers (epoch milliseconds); ISO 8601 date-times (`2020-09-17T19:49:27Z`, `2020-09-17 19:49:27.123+05:30`,
/// `2020-09-17`, `20200917T194927Z`, `2020-09`), and RFC 2822 (`Thu, 17 Sep 2020 19:49:27 GMT`). Q20: a date-time
/// without an offset is read as UTC, as upstream's deployments (which run in UTC) read it. Other free-form strings,
/// which only the JavaScript `Date` fallback would accept, are treated as unparseable.
enum UpstreamDate {
  /// The epoch milliseconds of `value`, or `nil` when moment would call it an invalid date.
  static func epochMilliseconds(_ value: JSONValue) -> Double? {
    // A JavaScript Date holds at most ±8.64e15 ms around the epoch; beyond that moment calls it invalid.
    guard let ms = unboundedMilliseconds(value), ms.magnitude <= 8.64e15 else { return nil }
    return ms
  }

  private static func unboundedMilliseconds(_ value: JSONValue) -> Double? {
    switch value {
    case .int(let i): return Double(i)
    case .double(let d): return d.isFinite ? d : nil
    case .numberLiteral(let s): return Double(s).flatMap { $0.isFinite ? $0 : nil }
    case .string(let s): return parseISO8601(s) ?? parseRFC2822(s)
    default: return nil
    }
  }

  /// `true` when `text` is a strict Unix-millisecond timestamp (moment's `'x'` format, strict): `[+-]?\d+(\.\d{1,3})?`.
  static func isStrictEpochMilliseconds(_ text: String) -> Bool {
    var bytes = Substring(text).utf8[...]
    if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    let intDigits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
    guard !intDigits.isEmpty else { return false }
    bytes = bytes.dropFirst(intDigits.count)
    if bytes.isEmpty { return true }
    guard bytes.first == UInt8(ascii: ".") else { return false }
    let frac = bytes.dropFirst()
    return (1...3).contains(frac.count) && frac.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  // MARK: ISO 8601

  private static func parseISO8601(_ text: String) -> Double? {
    var s = Scanner(Array(text.utf8))
    s.skipSpaces()
    guard let year = s.digits(exactly: 4) else { return nil }
    var month = 1
    var day = 1
    let extended = s.consume(UInt8(ascii: "-"))
    if extended {
      guard let m = s.digits(exactly: 2) else { return nil }
      month = m
      if s.consume(UInt8(ascii: "-")) {
        guard let d = s.digits(exactly: 2) else { return nil }
        day = d
      } else if !s.atEnd {
        return nil  // YYYY-MM must stand alone
      }
    } else {
      guard let m = s.digits(exactly: 2), let d = s.digits(exactly: 2) else { return nil }
      month = m
      day = d
    }
    var hour = 0
    var minute = 0
    var second = 0
    var millis = 0.0
    var offsetMinutes = 0
    if s.consume(UInt8(ascii: "T")) || s.consume(UInt8(ascii: "t")) || s.consume(UInt8(ascii: " ")) {
      guard let h = s.digits(exactly: 2) else { return nil }
      hour = h
      var hasSeconds = false
      if s.consume(UInt8(ascii: ":")) {
        guard let mi = s.digits(exactly: 2) else { return nil }
        minute = mi
        if s.consume(UInt8(ascii: ":")) {
          guard let se = s.digits(exactly: 2) else { return nil }
          second = se
          hasSeconds = true
        }
      } else if let mi = s.digits(exactly: 2) {
        minute = mi
        if let se = s.digits(exactly: 2) {
          second = se
          hasSeconds = true
        }
      }
      if hasSeconds && (s.consume(UInt8(ascii: ".")) || s.consume(UInt8(ascii: ","))) {
        let frac = s.digitString()
        guard !frac.isEmpty else { return nil }
        // moment keeps milliseconds, truncating further digits.
        millis = Double(Int(String(frac.prefix(3)).padding(to: 3)) ?? 0)
      }
      if s.consume(UInt8(ascii: "Z")) || s.consume(UInt8(ascii: "z")) {
        offsetMinutes = 0
      } else if let sign = s.consumeSign() {
        guard let oh = s.digits(exactly: 2) else { return nil }
        _ = s.consume(UInt8(ascii: ":"))
        let om = s.digits(exactly: 2) ?? 0
        offsetMinutes = sign * (oh * 60 + om)
      }
    }
    s.skipSpaces()
    guard s.atEnd else { return nil }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour <= 24, minute <= 59, second <= 59, hour < 24 || (minute == 0 && second == 0 && millis == 0)
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second) - Double(offsetMinutes * 60)
    return seconds * 1000 + millis
  }

  // MARK: RFC 2822

  private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
  private static let zones: [String: Int] = [
    "ut": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
    "pst": -480, "pdt": -420,
  ]

  private static func parseRFC2822(_ text: String) -> Double? {
    // [Day,] DD Mon YYYY HH:MM[:SS] ZONE
    var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).lowercased() }
    if let first = words.first, first.hasSuffix(",") { words.removeFirst() }
    guard words.count == 5, let day = Int(words[0]), let month = monthNames.firstIndex(of: String(words[1].prefix(3))),
      words[1].count == 3, let year = Int(words[2]), words[2].count >= 2
    else { return nil }
    let timeParts = words[3].split(separator: ":").map { Int($0) }
    guard (2...3).contains(timeParts.count), timeParts.allSatisfy({ $0 != nil }) else { return nil }
    let hour = timeParts[0]!
    let minute = timeParts[1]!
    let second = timeParts.count == 3 ? timeParts[2]! : 0
    var offset: Int
    if let z = zones[words[4]] {
      offset = z
    } else {
      let zone = Array(words[4].utf8)
      guard zone.count == 5, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"),
        let v = Int(String(decoding: zone[1...], as: UTF8.self))
      else { return nil }
      offset = (v / 100) * 60 + v % 100
      if zone[0] == UInt8(ascii: "-") { offset = -offset }
    }
    let fullYear = words[2].count == 2 ? (year < 50 ? 2000 + year : 1900 + year) : year
    guard (1...daysIn(month: month + 1, year: fullYear)).contains(day), hour < 24, minute < 60, second < 60 else {
      return nil
    }
    let days = daysFromCivil(year: fullYear, month: month + 1, day: day)
    return (Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second) - Double(offset * 60)) * 1000
  }

  // MARK: Calendar arithmetic

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}

/// A tiny byte scanner for the date grammar.
private struct Scanner {
  let bytes: [UInt8]
  var i = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { i >= bytes.count }

  mutating func skipSpaces() { while i < bytes.count && bytes[i] == 0x20 { i += 1 } }

  mutating func consume(_ b: UInt8) -> Bool {
    guard i < bytes.count, bytes[i] == b else { return false }
    i += 1
    return true
  }

  mutating func consumeSign() -> Int? {
    if consume(UInt8(ascii: "+")) { return 1 }
    if consume(UInt8(ascii: "-")) { return -1 }
    return nil
  }

  mutating func digits(exactly n: Int) -> Int? {
    guard i + n <= bytes.count else { return nil }
    var v = 0
    for k in i..<(i + n) {
      let b = bytes[k]
      guard b >= 0x30 && b <= 0x39 else { return nil }
      v = v * 10 + Int(b - 0x30)
    }
    i += n
    return v
  }

  mutating func digitString() -> String {
    let start = i
    while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }
}

extension String {
  fileprivate func padding(to length: Int) -> String {
    count >= length ? self : self + String(repeating: "0", count: length - count)
  }
}
