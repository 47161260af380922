/// The date, time and offset fields V8's parser composes (`DayComposer`, `TimeComposer`, `TimeZoneComposer`).
struct DateFields {
  var day = DayComposer()
  var time = TimeComposer()
  var zone = TimeZoneComposer()

  /// V8's `ParseDateTimeString` after a successful parse: MakeDay, MakeTime, MakeDate, then the offset (or local
  /// time, which is UTC here).
  func timeValue() -> Double? {
    guard let (year, month, date) = day.fields(), let (h, m, s, ms) = time.fields(), let offset = zone.offsetSeconds()
    else { return nil }
    guard let days = Self.makeDay(year: year, month: month, date: date) else { return nil }
    let value = days * 86_400_000 + (Double(h) * 3_600_000 + Double(m) * 60_000 + Double(s) * 1000 + Double(ms))
    let limit = offset == nil ? UpstreamDate.maxTime + 86_400_000 : UpstreamDate.maxTime
    let utc = value - Double(offset ?? 0) * 1000
    guard (offset == nil ? value : utc).magnitude <= limit else { return nil }
    return utc
  }

  /// ECMAScript MakeDay for the years V8 accepts (±1,000,000); `month` is 0-based.
  static func makeDay(year: Int, month: Int, date: Int) -> Double? {
    guard (-1_000_000...1_000_000).contains(year) else { return nil }
    let y = year + month / 12
    let m = month % 12
    // Days from 1970-01-01 to the first of the month (Howard Hinnant's days_from_civil), then the day itself.
    let yy = m + 1 <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = (m + 1 + 9) % 12
    let doy = (153 * mp + 2) / 5
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Double(era * 146_097 + doe - 719_468) + Double(date - 1)
  }
}

/// Year, month and day numbers as they come (V8's `DayComposer`).
struct DayComposer {
  private var components: [Int] = []
  var namedMonth: Int?
  var isISODate = false

  var isEmpty: Bool { components.isEmpty }

  mutating func add(_ n: Int) -> Bool {
    guard components.count < 3 else { return false }
    components.append(n)
    return true
  }

  static func isMonth(_ x: Int) -> Bool { (1...12).contains(x) }
  static func isDay(_ x: Int) -> Bool { (1...31).contains(x) }

  /// Year, 0-based month and day, read in V8's orders (YMD for ISO or when the first number cannot be a day,
  /// else MDY; with a month name DMY or YDM), two-digit years in 1950–2049; `nil` when invalid.
  func fields() -> (Int, Int, Int)? {
    guard !components.isEmpty else { return nil }
    var c = components
    while c.count < 3 { c.append(1) }  // day and month default to 1
    var year = 0
    let month: Int
    let day: Int
    if let named = namedMonth {
      month = named
      if components.count == 1 {
        day = c[0]
      } else if !Self.isDay(c[0]) {
        year = c[0]
        day = c[1]
      } else {
        day = c[0]
        year = c[1]
      }
    } else if isISODate || !Self.isDay(c[0]) {
      year = c[0]
      month = c[1]
      day = c[2]
    } else {
      month = c[0]
      day = c[1]
      year = c[2]
    }
    if !isISODate {
      if (0...49).contains(year) {
        year += 2000
      } else if (50...99).contains(year) {
        year += 1900
      }
    }
    guard Self.isMonth(month), Self.isDay(day) else { return nil }
    return (year, month - 1, day)
  }
}

/// Hour, minute, second and millisecond (V8's `TimeComposer`).
struct TimeComposer {
  private var components: [Int] = []
  var hourOffset: Int?

  var isEmpty: Bool { components.isEmpty }

  func isExpecting(_ n: Int) -> Bool {
    switch components.count {
    case 1: return Self.isMinute(n)
    case 2: return Self.isSecond(n)
    case 3: return (0...999).contains(n)
    default: return false
    }
  }

  mutating func add(_ n: Int) -> Bool {
    guard components.count < 4 else { return false }
    components.append(n)
    return true
  }

  mutating func addFinal(_ n: Int) -> Bool {
    guard add(n) else { return false }
    while components.count < 4 { components.append(0) }
    return true
  }

  static func isMinute(_ x: Int) -> Bool { (0...59).contains(x) }
  static func isHour(_ x: Int) -> Bool { (0...23).contains(x) }
  static func isSecond(_ x: Int) -> Bool { (0...59).contains(x) }

  func fields() -> (Int, Int, Int, Int)? {
    var c = components
    while c.count < 4 { c.append(0) }
    var hour = c[0]
    if let offset = hourOffset {
      guard (0...12).contains(hour) else { return nil }
      hour = hour % 12 + offset
    }
    if !Self.isHour(hour) || !Self.isMinute(c[1]) || !Self.isSecond(c[2]) || !(0...999).contains(c[3]) {
      guard hour == 24, c[1] == 0, c[2] == 0, c[3] == 0 else { return nil }  // 24:00 is the end of the day
    }
    return (hour, c[1], c[2], c[3])
  }
}

/// The UTC offset (V8's `TimeZoneComposer`).
struct TimeZoneComposer {
  var sign: Int?
  var hour: Int?
  var minute: Int?

  mutating func set(hours: Int) {
    sign = hours < 0 ? -1 : 1
    hour = hours.magnitude > 0 ? Int(hours.magnitude) : 0
    minute = 0
  }

  var isEmpty: Bool { hour == nil }
  var isUTC: Bool { hour == 0 && minute == 0 }
  func isExpecting(_ n: Int) -> Bool { hour != nil && minute == nil && TimeComposer.isMinute(n) }

  /// The offset in seconds; `.some(nil)` for local time; `nil` when out of range.
  func offsetSeconds() -> Int?? {
    guard let sign else { return .some(nil) }
    let total = (hour ?? 0) * 3600 + (minute ?? 0) * 60
    guard total <= 0x3FFF_FFFF else { return nil }  // Smi::kMaxValue
    return .some(sign < 0 ? -total : total)
  }
}
