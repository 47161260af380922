/// The contract schemas (``Schema``) compiled for ``QuickContractCheck``: flat tables of plain values behind
/// pointers that are allocated once and never freed, so walking them on the hot path touches no reference counts
/// (both event-loop threads read them at once; shared counts would bounce a cache line between the cores).
struct SchemaTable: @unchecked Sendable {  // immutable after `build()`
  enum Kind: UInt8 { case any, string, number, integer, bool, stringOrStrings, oneOf, array, items, object }

  /// Which value a field's string is picked up as.
  enum Capture: UInt8 { case none, pixel, event }

  /// One value shape. `array`/`items`: `child` is the element. `object`: `keys[first..<first+count]` are its
  /// fields, then `keys[first+count..<first+count+diverting]` top-level keys outside the schema that send the body
  /// to the full check. `oneOf`: `keys[first..<first+count]` are the allowed strings.
  struct Node {
    var kind: Kind
    var child: Int32 = -1
    var first: Int32 = 0
    var count: Int32 = 0
    var diverting: Int32 = 0
    /// Bit `k` set when field `k` is required.
    var requiredMask: UInt64 = 0
  }

  /// A field name (or an allowed string) with what the scanner needs to match it quickly.
  struct Key {
    var length: Int
    /// The first eight bytes, zero-padded, little-endian.
    var prefix: UInt64
    /// Where the name starts in `names`.
    var offset: Int
    var node: Int32 = -1
    var required = false
    var capture = Capture.none
  }

  let nodes: UnsafePointer<Node>
  let keys: UnsafePointer<Key>
  let names: UnsafePointer<UInt8>
  /// Root nodes: Events 1.0 `pixel/track`, `pixel/batch`, Events 2.0 `event/track`.
  let track1: Int32
  let batch1: Int32
  let event2: Int32

  /// The tables for ``Schema``.
  static let shared = build()

  private static func build() -> SchemaTable {
    let b = Builder()
    let track1 = b.add(Schema.track1, captures: ["pixel_code": .pixel, "event": .event])
    let batchItem = b.add(Schema.batchItem1, captures: ["event": .event])
    let batch1 = b.add(
      Schema.batch1Envelope, captures: ["pixel_code": .pixel], items: ("batch", batchItem), diverting: ["event"])
    let dataItem = b.add(Schema.data2, captures: ["event": .event])
    let event2 = b.add(
      Schema.event2Envelope, captures: ["event_source_id": .pixel], items: ("data", dataItem),
      diverting: ["pixel_code", "event", "batch"])
    return SchemaTable(
      nodes: b.freeze(b.nodes), keys: b.freeze(b.keys), names: b.freeze(b.names), track1: track1, batch1: batch1,
      event2: event2)
  }

  /// Appends nodes depth first; keys of one object are contiguous because they are reserved before the children
  /// are added.
  private final class Builder {
    var nodes: [Node] = []
    var keys: [Key] = []
    var names: [UInt8] = []

    func key(_ name: String) -> Key {
      let bytes = Array(name.utf8)
      var prefix: UInt64 = 0
      for (k, byte) in bytes.prefix(8).enumerated() { prefix |= UInt64(byte) << (8 * UInt64(k)) }
      defer { names += bytes }
      return Key(length: bytes.count, prefix: prefix, offset: names.count)
    }

    func add(
      _ type: FieldType, captures: [String: Capture] = [:], items: (name: String, node: Int32)? = nil,
      diverting: [String] = []
    ) -> Int32 {
      let index = Int32(nodes.count)
      switch type {
      case .any: nodes.append(Node(kind: .any))
      case .string: nodes.append(Node(kind: .string))
      case .number: nodes.append(Node(kind: .number))
      case .integer: nodes.append(Node(kind: .integer))
      case .bool: nodes.append(Node(kind: .bool))
      case .stringOrStrings: nodes.append(Node(kind: .stringOrStrings))
      case .oneOf(let options):
        nodes.append(Node(kind: .oneOf, first: Int32(keys.count), count: Int32(options.count)))
        for option in options { keys.append(key(option)) }
      case .array(let element):
        nodes.append(Node(kind: .array))
        nodes[Int(index)].child = add(element)
      case .object(let fields):
        precondition(fields.count <= 64, "a schema object has at most 64 fields")
        var mask: UInt64 = 0
        let first = keys.count
        for (k, field) in fields.enumerated() {
          if field.required { mask |= 1 << UInt64(k) }
          var entry = key(field.name)
          entry.required = field.required
          entry.capture = captures[field.name] ?? .none
          keys.append(entry)
        }
        for name in diverting { keys.append(key(name)) }
        nodes.append(
          Node(
            kind: .object, first: Int32(first), count: Int32(fields.count), diverting: Int32(diverting.count),
            requiredMask: mask))
        for (k, field) in fields.enumerated() {
          let child: Int32
          if let items, field.name == items.name {
            child = Int32(nodes.count)
            nodes.append(Node(kind: .items, child: items.node))
          } else {
            child = add(field.type)
          }
          keys[first + k].node = child
        }
      }
      return index
    }

    /// A copy that lives as long as the process.
    func freeze<T>(_ items: [T]) -> UnsafePointer<T> {
      let p = UnsafeMutablePointer<T>.allocate(capacity: max(items.count, 1))
      p.initialize(from: items, count: items.count)
      return UnsafePointer(p)
    }
  }
}
