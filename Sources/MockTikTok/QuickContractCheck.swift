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
  /// The value shapes of ``FieldType``, compiled to byte keys.
  indirect enum Shape: Sendable {
    case any, string, number, integer, bool, stringOrStrings
    case oneOf([[UInt8]])
    case array(Shape)
    /// The `batch` / `data` array: each element checked against the item shape, the count against the batch limit.
    case items(Shape)
    case object(ObjectShape)
  }

  /// Which value a field's string is picked up as.
  enum Capture: Sendable { case none, pixel, event }

  struct FieldShape: Sendable {
    var name: [UInt8]
    var shape: Shape
    var required: Bool
    var capture: Capture
  }

  struct ObjectShape: Sendable {
    var fields: [FieldShape]
    /// Bit `k` set when `fields[k]` is required.
    var requiredMask: UInt64
    /// Top-level keys outside the schema that would change which pixel or events the full check derives (see
    /// `JSONValue.tiktokEventNames`): their presence sends the body to the full check.
    var divertingKeys: [[UInt8]] = []
  }

  static func compile(_ type: FieldType, captures: [String: Capture] = [:], items: String? = nil, itemShape: Shape? = nil)
    -> Shape
  {
    switch type {
    case .any: return .any
    case .string: return .string
    case .number: return .number
    case .integer: return .integer
    case .bool: return .bool
    case .stringOrStrings: return .stringOrStrings
    case .oneOf(let options): return .oneOf(options.map { Array($0.utf8) })
    case .array(let element): return .array(compile(element))
    case .object(let fields):
      precondition(fields.count <= 64, "a schema object has at most 64 fields")
      var mask: UInt64 = 0
      let compiled = fields.enumerated().map { k, field in
        if field.required { mask |= 1 << UInt64(k) }
        let shape = field.name == items ? Shape.items(itemShape!) : compile(field.type)
        return FieldShape(name: Array(field.name.utf8), shape: shape, required: field.required, capture: captures[field.name] ?? .none)
      }
      return .object(ObjectShape(fields: compiled, requiredMask: mask))
    }
  }

  static func divert(_ shape: Shape, _ keys: [String]) -> Shape {
    guard case .object(var object) = shape else { return shape }
    object.divertingKeys = keys.map { Array($0.utf8) }
    return .object(object)
  }

  /// Per endpoint kind: the body's shape (Events 1.0 pixel/track, pixel/batch, Events 2.0 event/track).
  static let track1 = compile(Schema.track1, captures: ["pixel_code": .pixel, "event": .event])
  static let batch1 = divert(
    compile(
      Schema.batch1Envelope, captures: ["pixel_code": .pixel], items: "batch",
      itemShape: compile(Schema.batchItem1, captures: ["event": .event])),
    ["event"])
  static let event2 = divert(
    compile(
      Schema.event2Envelope, captures: ["event_source_id": .pixel], items: "data",
      itemShape: compile(Schema.data2, captures: ["event": .event])),
    ["pixel_code", "event", "batch"])

  /// The pixel and events of `bytes` when it is valid JSON satisfying `endpoint`'s schema and `validator`'s batch
  /// limits; `nil` when that is not proven here (run the full check).
  static func accept(_ bytes: UnsafeBufferPointer<UInt8>, endpoint: TikTokEndpoint.Kind, validator: ContractValidator)
    -> AcceptedBody?
  {
    let shape: Shape
    let limit: Int
    switch endpoint {
    case .pixelTrack: (shape, limit) = (track1, 0)
    case .pixelBatch: (shape, limit) = (batch1, validator.maxBatchV1)
    case .eventTrack: (shape, limit) = (event2, validator.maxBatchV2)
    }
    var scanner = Scanner(b: bytes, batchLimit: limit)
    JSONScan.skipWhitespace(bytes, &scanner.i)
    guard scanner.i < bytes.count, bytes[scanner.i] == 0x7B, scanner.value(shape, depth: 0, top: true) else { return nil }
    JSONScan.skipWhitespace(bytes, &scanner.i)
    guard scanner.i == bytes.count, let pixel = scanner.pixel else { return nil }
    return AcceptedBody(pixel: pixel, events: scanner.events)
  }

  /// The scanning state: `false` from any method means "leave it to the full check".
  struct Scanner {
    let b: UnsafeBufferPointer<UInt8>
    let batchLimit: Int
    var i = 0
    var pixel: String?
    var events: [String] = []

    init(b: UnsafeBufferPointer<UInt8>, batchLimit: Int) {
      self.b = b
      self.batchLimit = batchLimit
    }

    static let maxDepth = 64

    /// A value at `i` (after whitespace) of `shape`.
    mutating func value(_ shape: Shape, depth: Int, top: Bool = false) -> Bool {
      JSONScan.skipWhitespace(b, &i)
      guard i < b.count else { return false }
      let c = b[i]
      switch shape {
      case .any:
        return skip(depth: depth)
      case .string:
        guard c == 0x22 else { return false }
        var escaped = false
        return JSONScan.string(b, &i, escaped: &escaped)
      case .oneOf(let options):
        guard c == 0x22, let (start, end) = plainString() else { return false }
        return options.contains { equal($0, start, end) }
      case .number, .integer:
        guard c == 0x2D || (c >= 0x30 && c <= 0x39) else { return false }  // numeric strings: full check
        var integer = false
        guard JSONScan.number(b, &i, integer: &integer) else { return false }
        if case .integer = shape { return integer }  // 1.0 or 1e3: full check
        return true
      case .bool:
        return c == 0x74 ? JSONScan.literal(b, &i, "true") : c == 0x66 && JSONScan.literal(b, &i, "false")
      case .stringOrStrings:
        if c == 0x22 { return value(.string, depth: depth) }
        return c == 0x5B && array(.string, depth: depth) != nil
      case .array(let element):
        return c == 0x5B && array(element, depth: depth) != nil
      case .items(let element):
        guard c == 0x5B, let count = array(element, depth: depth) else { return false }
        return count >= 1 && count <= batchLimit
      case .object(let object):
        return c == 0x7B && self.object(object, depth: depth, top: top)
      }
    }

    /// An array at `[`, each element of `element`; the element count.
    mutating func array(_ element: Shape, depth: Int) -> Int? {
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
        guard value(element, depth: depth + 1) else { return nil }
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

    /// An object at `{` checked against `object`: known keys once each, required ones present and not null.
    mutating func object(_ object: ObjectShape, depth: Int, top: Bool) -> Bool {
      guard depth < Self.maxDepth else { return false }
      i += 1
      var seen: UInt64 = 0
      JSONScan.skipWhitespace(b, &i)
      guard i < b.count else { return false }
      if b[i] == 0x7D {
        i += 1
        return object.requiredMask == 0
      }
      while true {
        JSONScan.skipWhitespace(b, &i)
        // Keys with escapes could spell a schema key: full check.
        guard i < b.count, b[i] == 0x22, let (start, end) = plainString() else { return false }
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count, b[i] == 0x3A else { return false }
        i += 1
        if let k = object.fields.firstIndex(where: { equal($0.name, start, end) }) {
          let bit: UInt64 = 1 << UInt64(k)
          guard seen & bit == 0 else { return false }  // a repeated schema key: full check
          seen |= bit
          let field = object.fields[k]
          JSONScan.skipWhitespace(b, &i)
          guard i < b.count else { return false }
          if b[i] == 0x6E {
            // null counts as absent: fine when optional, "Missing data" (full check) when required.
            guard !field.required, JSONScan.literal(b, &i, "null") else { return false }
          } else if field.capture != .none {
            guard b[i] == 0x22, let (s, e) = plainString() else { return false }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
            if field.capture == .pixel { pixel = text } else { events.append(text) }
          } else {
            guard value(field.shape, depth: depth + 1) else { return false }
          }
        } else {
          if top && object.divertingKeys.contains(where: { equal($0, start, end) }) { return false }
          JSONScan.skipWhitespace(b, &i)
          guard skip(depth: depth + 1) else { return false }
        }
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count else { return false }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x7D else { return false }
        i += 1
        return seen & object.requiredMask == object.requiredMask
      }
    }

    /// Any well-formed value at `i`.
    mutating func skip(depth: Int) -> Bool {
      guard i < b.count, depth < Self.maxDepth else { return false }
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
      case 0x5B: return array(.any, depth: depth) != nil
      case 0x7B:
        i += 1
        JSONScan.skipWhitespace(b, &i)
        guard i < b.count else { return false }
        if b[i] == 0x7D {
          i += 1
          return true
        }
        while true {
          JSONScan.skipWhitespace(b, &i)
          var escaped = false
          guard i < b.count, b[i] == 0x22, JSONScan.string(b, &i, escaped: &escaped) else { return false }
          JSONScan.skipWhitespace(b, &i)
          guard i < b.count, b[i] == 0x3A else { return false }
          i += 1
          JSONScan.skipWhitespace(b, &i)
          guard skip(depth: depth + 1) else { return false }
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
      default: return false
      }
    }

    /// A string without escapes at its opening quote: the range of its content bytes.
    mutating func plainString() -> (Int, Int)? {
      var escaped = false
      let start = i + 1
      guard JSONScan.string(b, &i, escaped: &escaped), !escaped else { return nil }
      return (start, i - 1)
    }

    func equal(_ word: [UInt8], _ start: Int, _ end: Int) -> Bool {
      guard word.count == end - start else { return false }
      for k in 0..<word.count where word[k] != b[start + k] { return false }
      return true
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
