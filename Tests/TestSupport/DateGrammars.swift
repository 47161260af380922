/// Timestamps in the grammars captured events carry (ISO 8601 in its variants, RFC 2822 as JavaScript's
/// `toUTCString` and mail headers write it), for property tests of the transformer's date handling.
public enum DateGrammars {
  static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// A civil date and time (proleptic Gregorian, UTC).
  public struct Civil: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
  }

  /// The civil time of `seconds` since 1970-01-01T00:00:00Z (Howard Hinnant's algorithm).
  public static func civil(_ seconds: Int) -> Civil {
    let days = Int((Double(seconds) / 86_400).rounded(.down))
    let rest = seconds - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
    return Civil(
      year: year, month: month, day: day, hour: rest / 3_600, minute: rest % 3_600 / 60, second: rest % 60,
      weekday: weekday)
  }

  static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
  static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }

  /// The same instant (`seconds` since the epoch, plus `milliseconds`) written in several grammars, each one read as
  /// that instant by JavaScript's `Date.parse`. `offsetMinutes` is the zone the local forms are written in.
  public static func forms(seconds: Int, milliseconds: Int, offsetMinutes: Int) -> [String] {
    let utc = civil(seconds)
    let local = civil(seconds + offsetMinutes * 60)
    let sign = offsetMinutes < 0 ? "-" : "+"
    let oh = two(abs(offsetMinutes) / 60)
    let om = two(abs(offsetMinutes) % 60)
    let ms = String(repeating: "0", count: 3 - String(milliseconds).count) + String(milliseconds)
    func iso(_ c: Civil) -> String {
      "\(four(c.year))-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }
    func rfc(_ c: Civil, weekday: Bool) -> String {
      (weekday ? "\(weekdays[c.weekday]), " : "") + "\(two(c.day)) \(months[c.month - 1]) \(c.year) "
        + "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }
    return [
      iso(utc) + "Z",
      iso(utc) + ".\(ms)Z",
      iso(local) + "\(sign)\(oh):\(om)",
      iso(local) + ".\(ms)\(sign)\(oh):\(om)",
      rfc(utc, weekday: true) + " GMT",
      rfc(utc, weekday: false) + " GMT",
      rfc(local, weekday: true) + " \(sign)\(oh)\(om)",
    ]
  }

  /// Numbers no date can hold, for the fields of each grammar.
  static let hostileNumbers = [
    "99999999999999999", "-99999999999999999", "9223372036854775807", "18446744073709551616", "275761", "-271822",
    "0", "00", "99", "999999", "1e400",
  ]

  /// A timestamp in one of the grammars with one field (or several) out of any range.
  public static func hostile(_ r: inout SeededRandom) -> String {
    func n() -> String { r.chance(0.6) ? r.pick(hostileNumbers) : String(r.below(100)) }
    switch r.below(7) {
    case 0: return "\(r.pick(weekdays)), \(n()) \(r.pick(months)) \(n()) \(n()):\(n()):\(n()) GMT"
    case 1: return "\(n()) \(r.pick(months)) \(n()) \(n()):\(n()):\(n()) \(r.chance(0.5) ? "+" : "-")\(n())"
    case 2: return "\(n())-\(n())-\(n())T\(n()):\(n()):\(n())Z"
    case 3: return "+\(n())-01-01T00:00:00.\(n())Z"
    case 4: return "\(n())-\(n())-\(n())T\(n()):\(n()):\(n())\(r.chance(0.5) ? "+" : "-")\(n()):\(n())"
    case 5:
      return "\(r.pick(weekdays)), \(two(r.below(28) + 1)) \(r.pick(months)) \(r.pick(hostileNumbers)) 00:00:00 GMT"
    default: return r.pick(hostileNumbers)  // an all-digit string is epoch milliseconds, passed through
    }
  }
}
