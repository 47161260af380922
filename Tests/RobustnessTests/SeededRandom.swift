import JSON
import TestSupport

/// Random JSON values and texts for the round-trip and transformer properties.
enum JSONGen {
  /// `bytes` after one to four random edits: a byte replaced, inserted or removed from `alphabet`, a truncation, or
  /// a prefix of another `corpus` text inserted.
  static func mutated(_ bytes: [UInt8], corpus: [[UInt8]], alphabet: [UInt8], _ r: inout SeededRandom) -> [UInt8] {
    var bytes = bytes
    for _ in 0..<(1 + r.below(4)) {
      let at = bytes.isEmpty ? 0 : r.below(bytes.count + 1)
      switch r.below(5) {
      case 0 where at < bytes.count: bytes[at] = r.pick(alphabet)
      case 1: bytes.insert(r.pick(alphabet), at: at)
      case 2 where at < bytes.count: bytes.remove(at: at)
      case 3: bytes = Array(bytes.prefix(at))
      default:
        let other = r.pick(corpus)
        bytes.insert(contentsOf: other.prefix(r.below(other.count + 1)), at: at)
      }
    }
    return bytes
  }

  static let keyPool = [
    "type", "event", "messageId", "anonymousId", "userId", "timestamp", "originalTimestamp", "sentAt", "context",
    "traits", "properties", "products", "price", "quantity", "value", "currency", "order_id", "product_id",
    "content_type", "email", "phone", "externalId", "ip", "userAgent", "page", "url", "referrer", "ttclid",
    "test_event_code", "statusCode", "Config", "accessToken", "pixelCode", "version", "hashUserProperties",
    "eventsToStandard", "sendCustomEvents", "from", "to", "ID", "jobId", "destinationId", "workspaceId", "a", "",
    "é", "k\u{0}", "\"q\"", "🎉",
  ]

  static let stringPool = [
    "", "track", "identify", "page", "Order Completed", "Product Added", "Checkout Started", "Product Viewed",
    "v1", "v2", "USD", "2024-05-09T10:12:31Z", "2024-05-09T10:12:31.713Z", "not a date", "1715249551", "x@y.z",
    "Thu, 09 May 2024 10:12:31 GMT", "Thu, 09 May 2024 12:12:31 +0200", "2024-05-09T12:12:31+02:00",
    "+1 555 0100", "\u{0}", "\u{1F}", "\\", "\"", "é", "日本語", "🎉", "\u{10F800}", "true", "null", "NaN",
    "Infinity", "0", "-1", "1e400", "   ", "\u{FEFF}",
  ]

  /// A random value up to `depth` levels deep, biased towards RudderStack-like shapes.
  static func value(_ r: inout SeededRandom, depth: Int) -> JSONValue {
    let kinds = depth <= 0 ? 6 : 9
    switch r.below(kinds) {
    case 0: return .null
    case 1: return .bool(r.chance(0.5))
    case 2: return .int(r.chance(0.5) ? Int64(r.below(2000)) - 1000 : Int64(bitPattern: r.next()))
    case 3: return .double(double(&r))
    case 4: return .string(r.chance(0.7) ? r.pick(stringPool) : string(&r))
    case 5: return r.chance(0.5) ? .numberLiteral(bigLiteral(&r)) : .string(r.pick(stringPool))
    case 6, 7:
      var o = JSONObject()
      for _ in 0..<r.below(6) { o.set(r.chance(0.9) ? r.pick(keyPool) : string(&r), value(&r, depth: depth - 1)) }
      return .object(o)
    default:
      return .array((0..<r.below(5)).map { _ in value(&r, depth: depth - 1) })
    }
  }

  static func double(_ r: inout SeededRandom) -> Double {
    switch r.below(5) {
    case 0: return Double(r.below(100_000)) / 100
    case 1: return -0.0
    case 2:
      // Any finite bit pattern (the parser never yields NaN or infinities: `1e400` stays a literal).
      let d = Double(bitPattern: r.next())
      return d.isFinite ? d : 0.5
    case 3:
      return [.leastNonzeroMagnitude, 1.7976931348623157e308, 0.1, 1e21, 1e-7, 123456789012345678.0].randomElement(
        using: &r)!
    default: return Double.random(in: -1e6...1e6, using: &r)
    }
  }

  /// An integer literal beyond `Int64`.
  static func bigLiteral(_ r: inout SeededRandom) -> String {
    let digits = 20 + r.below(30)
    var s = r.chance(0.5) ? "-" : ""
    s += String(1 + r.below(9))
    for _ in 1..<digits { s += String(r.below(10)) }
    return s
  }

  /// A random string of scalars from every plane except the lone-surrogate stand-ins (see `LoneSurrogate`).
  static func string(_ r: inout SeededRandom) -> String {
    var s = String.UnicodeScalarView()
    for _ in 0..<r.below(12) {
      let v: UInt32
      switch r.below(5) {
      case 0: v = UInt32(r.below(0x20))
      case 1: v = UInt32(0x20 + r.below(0x60))
      case 2: v = UInt32(0x80 + r.below(0xD800 - 0x80))
      case 3: v = UInt32(0xE000 + r.below(0x10000 - 0xE000))
      default: v = UInt32(0x10000 + r.below(0x10F800 - 0x10000))
      }
      if let scalar = Unicode.Scalar(v) { s.append(scalar) }
    }
    return String(s)
  }

  /// Hand-written JSON texts that stress the grammar (escapes, numbers, whitespace, nesting).
  static let seeds: [String] = [
    #"{"a":[1,2.5,"x",null,true,{}],"b":{"c":[]}}"#,
    #"[-0, -0.0, 0e0, 1E+2, 1e-2, 12345678901234567890, -9223372036854775808, 9223372036854775807, 1e400]"#,
    #""\u0000\u001f\"\\\/\b\f\n\r\t\ud83c\udf89\ud800\udc00x\udfff""#,
    " \t\r\n {\"k\" : [ ] , \"k\" : { } } \n",
    #"{"type":"track","event":"Order Completed","properties":{"products":[{"price":"23","quantity":2}]}}"#,
    "[[[[[[[[[[]]]]]]]]]]",
    "\"é日本🎉\"",
    "123.456e-7",
  ]
}
