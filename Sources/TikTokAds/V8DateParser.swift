/// V8's `Date.parse` (`src/date/dateparser*`, as in node 20): first the ES5 date-time string format, then V8's
/// legacy parser on whatever is left (`07.03.2023` is 3 July, `1/2` is 2 January 2001, `12/31/1969 23:59:59`,
/// `Thu, 17 Sep 2020 19:49:27 GMT`). Times without an offset are local, and upstream's local time zone is UTC.
enum V8DateParser {
  /// The time value in milliseconds (not yet TimeClip'd), or `nil` when V8 answers NaN.
  static func parse(_ text: String) -> Double? {
    if let time = parseCommonISO(text) { return time }
    return parseGeneral(text)
  }

  /// ``parse(_:)`` without its shortcut for the common form.
  static func parseGeneral(_ text: String) -> Double? {
    var scanner = DateTokenizer(text)
    var fields = DateFields()
    guard let unhandled = parseES5(&scanner, &fields) else { return nil }
    guard parseLegacy(&scanner, &fields, from: unhandled) else { return nil }
    return fields.timeValue()
  }

  /// The form events carry, `YYYY-MM-DDTHH:mm:ss[.sss]Z` with a day of the month up to 28 and a time from 00:00:00
  /// to 23:59:59.999, computed directly, as ``parseGeneral(_:)`` computes it; `nil` for anything else (which the
  /// general parse then reads).
  static func parseCommonISO(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { b -> Double? in
      let n = b.count
      guard n == 20 || n == 24, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
        b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[n - 1] == UInt8(ascii: "Z"),
        n == 20 || b[19] == UInt8(ascii: ".")
      else { return nil }
      func digits(_ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<start + count {
          let digit = b[i] &- UInt8(ascii: "0")
          guard digit < 10 else { return nil }
          value = value * 10 + Int(digit)
        }
        return value
      }
      guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let h = digits(11, 2),
        let m = digits(14, 2), let s = digits(17, 2), let ms = n == 24 ? digits(20, 3) : 0,
        (1...12).contains(month), (1...28).contains(day), h < 24, m < 60, s < 60,
        let days = DateFields.makeDay(year: year, month: month - 1, date: day)
      else { return nil }
      return days * 86_400_000 + (Double(h) * 3_600_000 + Double(m) * 60_000 + Double(s) * 1000 + Double(ms))
    }
  }

  /// `true` when `text` parses and names no offset, so V8 reads it in local time (Q20; upstream's is UTC).
  static func isLocalTime(_ text: String) -> Bool {
    var scanner = DateTokenizer(text)
    var fields = DateFields()
    guard let unhandled = parseES5(&scanner, &fields), parseLegacy(&scanner, &fields, from: unhandled) else {
      return false
    }
    return fields.timeValue() != nil && fields.zone.sign == nil
  }

  // MARK: ES5 ISO format

  /// `[('-'|'+')yy]yyyy[-MM[-DD]][THH:mm[:ss[.sss]][Z|(+|-)hh:mm]]`; returns the first token it did not use
  /// (end of input when the whole string was ES5), or `nil` when the string is ES5 but invalid.
  private static func parseES5(_ scanner: inout DateTokenizer, _ f: inout DateFields) -> DateToken? {
    if scanner.peek.isSign {
      let sign = scanner.next()
      guard scanner.peek.isNumber(length: 6) else { return sign }
      let year = scanner.next().number
      if sign.symbol == "-" && year == 0 { return sign }
      _ = f.day.add(sign.symbol == "-" ? -year : year)
    } else if scanner.peek.isNumber(length: 4) {
      _ = f.day.add(scanner.next().number)
    } else {
      return scanner.next()
    }
    if scanner.skip("-") {
      guard scanner.peek.isNumber(length: 2), DayComposer.isMonth(scanner.peek.number) else { return scanner.next() }
      _ = f.day.add(scanner.next().number)
      if scanner.skip("-") {
        guard scanner.peek.isNumber(length: 2), DayComposer.isDay(scanner.peek.number) else { return scanner.next() }
        _ = f.day.add(scanner.next().number)
      }
    }
    if !scanner.peek.isKeyword(.timeSeparator) {
      if !scanner.peek.isEnd { return scanner.next() }
    } else {
      _ = scanner.next()
      guard parseES5Time(&scanner, &f) else { return nil }
      guard parseES5Zone(&scanner, &f) else { return nil }
      guard scanner.peek.isEnd else { return nil }
    }
    // Date-only forms without an offset are UTC; date-time forms are local time.
    if f.zone.isEmpty && f.time.isEmpty { f.zone.set(hours: 0) }
    f.day.isISODate = true
    return .end
  }

  private static func parseES5Time(_ scanner: inout DateTokenizer, _ f: inout DateFields) -> Bool {
    guard scanner.peek.isNumber(length: 2), (0...24).contains(scanner.peek.number) else { return false }
    let hourIs24 = scanner.peek.number == 24  // 24:00[:00[.000]] only
    _ = f.time.add(scanner.next().number)
    guard scanner.skip(":") else { return false }
    guard scanner.peek.isNumber(length: 2), TimeComposer.isMinute(scanner.peek.number),
      !(hourIs24 && scanner.peek.number > 0)
    else { return false }
    _ = f.time.add(scanner.next().number)
    if scanner.skip(":") {
      guard scanner.peek.isNumber(length: 2), TimeComposer.isSecond(scanner.peek.number),
        !(hourIs24 && scanner.peek.number > 0)
      else { return false }
      _ = f.time.add(scanner.next().number)
      if scanner.skip(".") {
        guard scanner.peek.isNumber, !(hourIs24 && scanner.peek.number > 0) else { return false }
        _ = f.time.add(milliseconds(scanner.next()))  // more or fewer than three digits are allowed
      }
    }
    return true
  }

  private static func parseES5Zone(_ scanner: inout DateTokenizer, _ f: inout DateFields) -> Bool {
    if scanner.peek.isKeywordZ {
      _ = scanner.next()
      f.zone.set(hours: 0)
    } else if scanner.peek.isSign {
      f.zone.sign = scanner.next().symbol == "+" ? 1 : -1
      if scanner.peek.isNumber(length: 4) {
        let hourMinute = scanner.next().number  // hhmm
        guard TimeComposer.isHour(hourMinute / 100), TimeComposer.isMinute(hourMinute % 100) else { return false }
        f.zone.hour = hourMinute / 100
        f.zone.minute = hourMinute % 100
      } else {
        guard scanner.peek.isNumber(length: 2), TimeComposer.isHour(scanner.peek.number) else { return false }
        f.zone.hour = scanner.next().number
        guard scanner.skip(":") else { return false }
        guard scanner.peek.isNumber(length: 2), TimeComposer.isMinute(scanner.peek.number) else { return false }
        f.zone.minute = scanner.next().number
      }
    }
    return true
  }

  /// The first three significant digits of a fraction, judged from its value and its length.
  private static func milliseconds(_ token: DateToken) -> Int {
    var number = token.number
    var length = token.length
    if length == 1 {
      number *= 100
    } else if length == 2 {
      number *= 10
    } else if length > 3 {
      length = min(length, DateTokenizer.maxSignificantDigits)
      var factor = 1
      while length > 3 {
        factor *= 10
        length -= 1
      }
      number /= factor
    }
    return number
  }

  // MARK: Legacy parser

  private static func parseLegacy(_ scanner: inout DateTokenizer, _ f: inout DateFields, from first: DateToken)
    -> Bool
  {
    var hasReadNumber = !f.day.isEmpty
    var token = first
    while !token.isEnd {
      switch token.kind {
      case .number:
        hasReadNumber = true
        guard legacyNumber(token.number, &scanner, &f) else { return false }
      case .keyword(let type, let value):
        if type == .amPm && !f.time.isEmpty {
          f.time.hourOffset = value
        } else if type == .monthName {
          f.day.namedMonth = value
          _ = scanner.skip("-")
        } else if type == .timeZoneName && hasReadNumber {
          f.zone.set(hours: value)
        } else {
          // Words are allowed only before the first number, and apart from it.
          if hasReadNumber || scanner.peek.isNumber { return false }
        }
      case .symbol(let s) where (s == "+" || s == "-") && (f.zone.isUTC || !f.time.isEmpty):
        f.zone.sign = s == "+" ? 1 : -1
        var n = 0
        var length = 0
        if scanner.peek.isNumber {
          let number = scanner.next()
          length = number.length
          n = number.number
        }
        hasReadNumber = true
        if scanner.peek.isSymbol(":") {
          f.zone.hour = n
          f.zone.minute = nil
        } else if length == 1 || length == 2 {
          f.zone.hour = n  // GMT-8
          f.zone.minute = 0
        } else if length == 3 || length == 4 {
          f.zone.hour = n / 100  // GMT-0800
          f.zone.minute = n % 100
        } else {
          return false
        }
      case .symbol(let s) where (s == "+" || s == "-" || s == ")") && hasReadNumber:
        return false
      default:
        break  // other characters and white space are ignored
      }
      token = scanner.next()
    }
    return true
  }

  private static func legacyNumber(_ n: Int, _ scanner: inout DateTokenizer, _ f: inout DateFields) -> Bool {
    if scanner.skip(":") {
      if scanner.skip(":") {
        guard f.time.isEmpty else { return false }  // n::
        _ = f.time.add(n)
        _ = f.time.add(0)
      } else {
        guard f.time.add(n) else { return false }  // n:
        if scanner.peek.isSymbol(".") { _ = scanner.next() }
      }
    } else if scanner.skip("."), f.time.isExpecting(n) {
      _ = f.time.add(n)
      guard scanner.peek.isNumber else { return false }
      _ = f.time.addFinal(milliseconds(scanner.next()))
    } else if f.zone.isExpecting(n) {
      f.zone.minute = n
    } else if f.time.isExpecting(n) {
      _ = f.time.addFinal(n)
      // The end, white space, "Z", "+" or "-" must follow a finished time.
      let peek = scanner.peek
      guard peek.isEnd || peek.isWhiteSpace || peek.isKeywordZ || peek.isSign else { return false }
    } else {
      guard f.day.add(n) else { return false }
      _ = scanner.skip("-")
    }
    return true
  }
}
