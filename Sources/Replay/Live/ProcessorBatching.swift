import JSON

/// Several processor cases in one request, and the answer mapped back to each case exactly, or not at all.
///
/// A processor answer has, for each input item in input order, one or more items (an Events 1.0 event with several
/// targets gives several, an R1 `__proto__` event none), each carrying its input item's `metadata`; rudder-server
/// itself matches answers to its jobs by that metadata. So cases share a request only when every item of every case
/// in it has an object `metadata` that no other item of the request has (compared as JavaScript would print them);
/// an answer is mapped back only when every answer item carries exactly one input item's metadata, the items come
/// in input order, and every input item got at least one. Anything else (an item without metadata, an unknown or
/// repeated metadata, an item with no answer, items out of order) and the cases are sent again one by one.
enum ProcessorBatching {
  /// The identity of each item of a processor request body: its `metadata` in canonical JSON with numbers as
  /// JavaScript prints them. `nil` when the body cannot share a request: not a non-empty array of objects each with
  /// an object `metadata` (without a member name twice in any object, where JSON equality and this identity could
  /// disagree), or two of its items with the same metadata.
  static func itemKeys(_ body: JSONValue) -> [String]? {
    guard case .array(let items) = body, !items.isEmpty else { return nil }
    var keys: [String] = []
    keys.reserveCapacity(items.count)
    for item in items {
      guard let metadata = item["metadata"], case .object = metadata, !hasRepeatedNames(metadata) else { return nil }
      keys.append(key(metadata))
    }
    return Set(keys).count == keys.count ? keys : nil
  }

  /// `true` when an object in `value` has a member name twice.
  static func hasRepeatedNames(_ value: JSONValue) -> Bool {
    switch value {
    case .object(let object):
      let entries = object.entries
      if entries.count <= 32 {
        // Metadata objects are small: comparing each name with the ones before it costs less than hashing them.
        for i in entries.indices
        where (0..<i).contains(where: { entries[$0].key.utf8.elementsEqual(entries[i].key.utf8) }) {
          return true
        }
      } else if Set(entries.map(\.key)).count < entries.count {
        // Swift's String equality may also merge canonically equivalent names: safe, such a case goes alone.
        return true
      }
      return entries.contains { hasRepeatedNames($0.value) }
    case .array(let items): return items.contains(where: hasRepeatedNames)
    default: return false
    }
  }

  /// The identity of one `metadata` value.
  static func key(_ metadata: JSONValue) -> String { metadata.canonicalString(numbers: .javaScript) }

  /// Groups requests into units of one request each: indices of requests sent together, each unit in ascending
  /// order and the units ordered by their first index. A request with no keys (`nil`) is a unit alone; the others
  /// go, first fit, into one of up to `openBatches` batches being filled whose keys they do not share, of at most
  /// `maxItems` items.
  static func plan(keys: [[String]?], maxItems: Int, openBatches: Int = 8) -> [[Int]] {
    struct Open {
      var indices: [Int]
      var keys: Set<String>
      var items: Int
    }
    var units: [[Int]] = []
    var open: [Open] = []
    for (index, itemKeys) in keys.enumerated() {
      guard let itemKeys, maxItems > 1, itemKeys.count < maxItems else {
        units.append([index])
        continue
      }
      if let b = open.firstIndex(where: { $0.items + itemKeys.count <= maxItems && $0.keys.isDisjoint(with: itemKeys) })
      {
        open[b].indices.append(index)
        open[b].keys.formUnion(itemKeys)
        open[b].items += itemKeys.count
        if open[b].items >= maxItems { units.append(open.remove(at: b).indices) }
      } else {
        if open.count >= openBatches { units.append(open.removeFirst().indices) }
        open.append(Open(indices: [index], keys: Set(itemKeys), items: itemKeys.count))
      }
    }
    units.append(contentsOf: open.map(\.indices))
    return units.sorted { $0[0] < $1[0] }
  }

  /// One processor request body holding every item of `bodies` (each an array), in order, as compact JSON.
  static func body(_ bodies: [JSONValue]) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "[")]
    for case .array(let items) in bodies {
      for item in items {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        item.writeCompact(into: &out)
      }
    }
    out.append(UInt8(ascii: "]"))
    return out
  }

  /// The answer to a request made by ``body(_:)``, split into each part's answer; `nil` when it cannot be mapped
  /// back exactly (see the type's documentation).
  ///
  /// Walks the answer once beside the request's items: each answer item must carry the metadata of the item being
  /// answered or of the next one (JSON equality, which never holds between two items whose ``itemKeys(_:)``
  /// differ), and the last item must be reached; so every item got an answer, in order, and no answer is claimed by
  /// two items.
  /// - Parameters:
  ///   - metadata: each part's items' `metadata`, in request order (their keys distinct, see ``itemKeys(_:)``).
  static func split(_ answer: JSONValue, metadata: [[JSONValue]]) -> [[JSONValue]]? {
    guard case .array(let items) = answer else { return nil }
    var flat: [(part: Int, metadata: JSONValue)] = []
    for (part, values) in metadata.enumerated() { flat.append(contentsOf: values.map { (part, $0) }) }
    guard !flat.isEmpty else { return nil }
    var parts = [[JSONValue]](repeating: [], count: metadata.count)
    var at = 0
    var answered = false
    for item in items {
      guard let value = item["metadata"], case .object = value else { return nil }
      if answered && value != flat[at].metadata {
        at += 1
        answered = false
      }
      guard at < flat.count, value == flat[at].metadata else { return nil }
      answered = true
      parts[flat[at].part].append(item)
    }
    return at == flat.count - 1 && answered ? parts : nil
  }
}
