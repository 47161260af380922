import JSON

/// Upstream's `secondTimestamp` formatter (spec §5, Q7, Q20, R10): when `moment(value, 'x', true)` accepts the
/// value as a strict epoch-millisecond number it is left unchanged; otherwise the result is
/// `Math.floor(new Date(value).getTime() / 1000)`, with V8's `Date` doing the parsing (``V8DateParser``).
enum UpstreamDate {
  /// The largest time value a JavaScript Date holds, in milliseconds either side of the epoch.
  static let maxTime = 8.64e15

  /// `true` when moment's strict `x` format accepts `text` (`'' + value`): `[+-]?\d+` exactly, and within a
  /// Date's range (`1.5` and `1e+21` are not; they go through `new Date` instead).
  static func isStrictEpochMilliseconds(_ text: String) -> Bool {
    var digits = Substring(text).utf8[...]
    if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
    guard let value = Double(text) else { return false }
    return value.magnitude <= maxTime
  }

  /// `new Date(value).getTime()` in milliseconds, or `nil` for an invalid date (NaN).
  ///
  /// Numbers are time values (truncated, TimeClip'd); booleans and `null` convert to numbers; strings, and arrays
  /// through their `join` text, are parsed as V8 parses them; objects are invalid dates. Q20: a date-time without
  /// an offset is local time, and upstream runs with `TZ=UTC`.
  static func epochMilliseconds(_ value: JSONValue) -> Double? {
    let time: Double
    switch value {
    case .null: time = 0
    case .bool(let b): time = b ? 1 : 0
    case .int, .double, .numberLiteral: time = value.doubleValue ?? .nan
    case .string(let s): time = V8DateParser.parse(s) ?? .nan
    case .array: time = V8DateParser.parse(value.jsString) ?? .nan
    case .object: time = .nan
    }
    return timeClip(time)
  }

  /// ECMAScript TimeClip: NaN beyond ±8.64e15 ms, otherwise truncated toward zero.
  static func timeClip(_ time: Double) -> Double? {
    guard time.isFinite, time.magnitude <= maxTime else { return nil }
    return time.rounded(.towardZero) + 0  // + 0 turns -0 into +0
  }
}
