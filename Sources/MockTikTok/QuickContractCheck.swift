import JSON

/// What the one-pass check learned from a request body that satisfies TikTok's contract.
public struct AcceptedBody: Sendable, Equatable {
  /// `pixel_code` (Events 1.0) or `event_source_id` (Events 2.0).
  public var pixel: String
  /// The event names, in request order.
  public var events: [String]

  public init(pixel: String, events: [String]) {
    self.pixel = pixel
    self.events = events
  }
}

/// The mock's hot path: one pass over the body's bytes that checks JSON syntax and the endpoint's schema together,
/// without building a `JSONValue`, and picks up the pixel and the event names on the way.
///
/// It only ever *accepts*. `nil` means "not proven valid here" (a violation, malformed JSON, or something it leaves
/// to the full check: escapes in keys, pixel or event names; numeric strings in number fields; duplicate schema
/// keys; nesting deeper than 64), and the caller then runs the full parse and ``ContractValidator/validate(_:endpoint:)``,
/// which writes the exact TikTok message. So the rule it must keep is: accept a body only when the full check
/// accepts it, with the same pixel and events. `QuickContractCheckTests` and the `fuzz-mock` target check that rule
/// against the full check.
enum QuickContractCheck {
  /// The pixel and events of `bytes` when it is valid JSON satisfying `endpoint`'s schema and `validator`'s batch
  /// limits; `nil` when that is not proven here (run the full check).
  static func accept(_ bytes: UnsafeBufferPointer<UInt8>, endpoint: TikTokEndpoint.Kind, validator: ContractValidator)
    -> AcceptedBody?
  {
    let table = SchemaTable.shared
    let root: Int32
    let limit: Int
    switch endpoint {
    case .pixelTrack: (root, limit) = (table.track1, 0)
    case .pixelBatch: (root, limit) = (table.batch1, validator.maxBatchV1)
    case .eventTrack: (root, limit) = (table.event2, validator.maxBatchV2)
    }
    var scanner = Scanner(b: bytes, table: table, batchLimit: limit)
    JSONScan.skipWhitespace(bytes, &scanner.i)
    guard scanner.i < bytes.count, bytes[scanner.i] == 0x7B, scanner.object(root, depth: 0, top: true) else {
      return nil
    }
    JSONScan.skipWhitespace(bytes, &scanner.i)
    guard scanner.i == bytes.count, let pixel = scanner.pixel else { return nil }
    return AcceptedBody(pixel: pixel, events: scanner.events)
  }

  /// The scanning state: `false` from any method means "leave it to the full check".
  struct Scanner {
    let b: UnsafeBufferPointer<UInt8>
    let table: SchemaTable
    let batchLimit: Int
    var i = 0
    var pixel: String?
    var events: [String] = []

    init(b: UnsafeBufferPointer<UInt8>, table: SchemaTable, batchLimit: Int) {
      self.b = b
      self.table = table
      self.batchLimit = batchLimit
    }

    static let maxDepth = 64

    /// A value at `i` (after whitespace) of the shape `node`.
    mutating func value(_ node: Int32, depth: Int) -> Bool {
      JSONScan.skipWhitespace(b, &i)
      guard i < b.count else { return false }
      let c = b[i]
      let shape = table.nodes[Int(node)]
      switch shape.kind {
      case .any:
        return skip(depth: depth)
      case .string:
        guard c == 0x22 else { return false }
        var escaped = false
        return JSONScan.string(b, &i, escaped: &escaped)
      case .oneOf:
        guard c == 0x22, let (start, end) = plainString() else { return false }
        return find(start, end, in: shape.first, count: shape.count) != nil
      case .number, .integer:
        guard c == 0x2D || (c >= 0x30 && c <= 0x39) else { return false }  // numeric strings: full check
        var integer = false
        guard JSONScan.number(b, &i, integer: &integer) else { return false }
        return integer || shape.kind == .number  // 1.0 or 1e3 in an integer field: full check
      case .bool:
        return c == 0x74 ? JSONScan.literal(b, &i, "true") : c == 0x66 && JSONScan.literal(b, &i, "false")
      case .stringOrStrings:
        if c == 0x22 {
          var escaped = false
          return JSONScan.string(b, &i, escaped: &escaped)
        }
        return c == 0x5B && array(element: -1, depth: depth) != nil
      case .array:
        return c == 0x5B && array(element: shape.child, depth: depth) != nil
      case .items:
        guard c == 0x5B, let count = array(element: shape.child, depth: depth) else { return false }
        return count >= 1 && count <= batchLimit
      case .object:
        return c == 0x7B && object(node, depth: depth, top: false)
      }
    }

    /// An array at `[`, each element of the shape `element` (-1: a string); the element count.
    mutating func array(element: Int32, depth: Int) -> Int? {
      elements(depth: depth) { scanner in
        guard element < 0 else { return scanner.value(element, depth: depth + 1) }
        var escaped = false
        return scanner.b[scanner.i] == 0x22 && JSONScan.string(scanner.b, &scanner.i, escaped: &escaped)
      }
    }

    /// An object at `{` checked against the object shape `node`: known keys once each, required ones present and
    /// not null.
    mutating func object(_ node: Int32, depth: Int, top: Bool) -> Bool {
      let shape = table.nodes[Int(node)]
      var seen: UInt64 = 0
      let walked = members(depth: depth) { scanner, start, end in
        guard let k = scanner.find(start, end, in: shape.first, count: shape.count) else {
          if top && scanner.find(start, end, in: shape.first + shape.count, count: shape.diverting) != nil {
            return false
          }
          return scanner.skip(depth: depth + 1)
        }
        let bit: UInt64 = 1 << UInt64(k)
        guard seen & bit == 0 else { return false }  // a repeated schema key: full check
        seen |= bit
        let field = scanner.table.keys[Int(shape.first) + k]
        let b = scanner.b
        if b[scanner.i] == 0x6E {
          // null counts as absent: fine when optional, "Missing data" (full check) when required.
          return !field.required && JSONScan.literal(b, &scanner.i, "null")
        }
        guard field.capture != .none else { return scanner.value(field.node, depth: depth + 1) }
        guard b[scanner.i] == 0x22, let (s, e) = scanner.plainString() else { return false }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        if field.capture == .pixel { scanner.pixel = text } else { scanner.events.append(text) }
        return true
      }
      return walked && seen & shape.requiredMask == shape.requiredMask
    }

    /// Any well-formed value at `i`.
    mutating func skip(depth: Int) -> Bool {
      guard i < b.count else { return false }
      switch b[i] {
      case 0x22:
        var escaped = false
        return JSONScan.string(b, &i, escaped: &escaped)
      case 0x2D, 0x30...0x39:
        var integer = false
        return JSONScan.number(b, &i, integer: &integer)
      case 0x74: return JSONScan.literal(b, &i, "true")
      case 0x66: return JSONScan.literal(b, &i, "false")
      case 0x6E: return JSONScan.literal(b, &i, "null")
      case 0x5B: return elements(depth: depth) { $0.skip(depth: depth + 1) } != nil
      case 0x7B: return members(depth: depth) { scanner, _, _ in scanner.skip(depth: depth + 1) }
      default: return false
      }
    }

    /// Walks an array at `[`: `element` is called at each element's first byte and must consume it. The element
    /// count, or `nil` for malformed JSON, nesting deeper than ``maxDepth`` or `element` returning `false`.
    mutating func elements(depth: Int, _ element: (inout Scanner) -> Bool) -> Int? {
      guard depth < Self.maxDepth else { return nil }
      i += 1
      JSONScan.skipWhitespace(b, &i)
      guard i < b.count else { return nil }
      if b[i] == 0x5D {
        i += 1
        return 0
      }
      var count = 0
      while true {
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count, element(&self) else { return nil }
        count += 1
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count else { return nil }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x5D else { return nil }
        i += 1
        return count
      }
    }

    /// Walks an object at `{`: keys must be strings without escapes (an escaped key could spell a schema key, so
    /// it goes to the full check); `member` is called with the key's byte range at the value's first byte and must
    /// consume the value. `false` for malformed JSON, nesting deeper than ``maxDepth`` or `member` returning
    /// `false`.
    mutating func members(depth: Int, _ member: (inout Scanner, Int, Int) -> Bool) -> Bool {
      guard depth < Self.maxDepth else { return false }
      i += 1
      JSONScan.skipWhitespace(b, &i)
      guard i < b.count else { return false }
      if b[i] == 0x7D {
        i += 1
        return true
      }
      while true {
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count, b[i] == 0x22, let (start, end) = plainString() else { return false }
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count, b[i] == 0x3A else { return false }
        i += 1
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count, member(&self, start, end) else { return false }
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count else { return false }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x7D else { return false }
        i += 1
        return true
      }
    }

    /// A string without escapes at its opening quote: the range of its content bytes.
    mutating func plainString() -> (Int, Int)? {
      var escaped = false
      let start = i + 1
      guard JSONScan.string(b, &i, escaped: &escaped), !escaped else { return nil }
      return (start, i - 1)
    }

    /// The index `k` (0-based from `first`) of the key among `table.keys[first..<first+count]` equal to the bytes
    /// `start..<end`: lengths and first eight bytes compared first.
    func find(_ start: Int, _ end: Int, in first: Int32, count: Int32) -> Int? {
      let length = end - start
      var prefix: UInt64 = 0
      if start + 8 <= b.count {
        let word = UnsafeRawPointer(b.baseAddress! + start).loadUnaligned(as: UInt64.self)
        prefix = length >= 8 ? word : word & ((1 << UInt64(8 * length)) - 1)
      } else {
        for k in 0..<min(length, 8) { prefix |= UInt64(b[start + k]) << (8 * UInt64(k)) }
      }
      let keys = table.keys + Int(first)
      for k in 0..<Int(count) where keys[k].length == length && keys[k].prefix == prefix {
        if length <= 8 { return k }
        let name = table.names + keys[k].offset
        var same = true
        for j in 8..<length where name[j] != b[start + j] {
          same = false
          break
        }
        if same { return k }
      }
      return nil
    }
  }
}

extension ContractValidator {
  /// The full check's verdict on `body`: parse, ``validate(_:endpoint:)``, then the pixel and events as the server
  /// derives them; `nil` when the body is not JSON or breaks the contract. The reference ``acceptQuickly(_:endpoint:)``
  /// is tested against.
  public func acceptFully(_ body: [UInt8], endpoint: TikTokEndpoint.Kind) -> AcceptedBody? {
    guard let value = try? JSONValue.parse(body), validate(value, endpoint: endpoint) == nil,
      let pixel = value.tiktokPixel
    else { return nil }
    return AcceptedBody(pixel: pixel, events: value.tiktokEventNames)
  }

  /// The hot path's one-pass check (``QuickContractCheck``): the pixel and events when `body` is proven to satisfy
  /// the contract for `endpoint`, `nil` when the full parse and ``validate(_:endpoint:)`` must decide.
  public func acceptQuickly(_ body: [UInt8], endpoint: TikTokEndpoint.Kind) -> AcceptedBody? {
    body.withUnsafeBufferPointer { QuickContractCheck.accept($0, endpoint: endpoint, validator: self) }
  }
}

extension JSONValue {
  /// The pixel a TikTok body names: `pixel_code` (Events 1.0), else `event_source_id` (Events 2.0).
  var tiktokPixel: String? { (self["pixel_code"] ?? self["event_source_id"])?.stringValue }

  /// The event names a TikTok body holds: `event`, else the `event` of each `batch` (1.0) or `data` (2.0) item.
  var tiktokEventNames: [String] {
    if let e = self["event"]?.stringValue { return [e] }
    let items = self["batch"]?.arrayValue ?? self["data"]?.arrayValue ?? []
    return items.compactMap { $0["event"]?.stringValue }
  }
}
