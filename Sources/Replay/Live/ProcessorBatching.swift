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
  /// an object `metadata`, or two of its items with the same metadata.
  static func itemKeys(_ body: JSONValue) -> [String]? {
    guard case .array(let items) = body, !items.isEmpty else { return nil }
    var keys: [String] = []
    keys.reserveCapacity(items.count)
    for item in items {
      guard case .object(let metadata)? = item["metadata"] else { return nil }
      keys.append(key(.object(metadata)))
    }
    return Set(keys).count == keys.count ? keys : nil
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

  /// One processor request body holding every item of `bodies` (each an array), in order.
  static func body(_ bodies: [JSONValue]) -> JSONValue {
    var items: [JSONValue] = []
    for case .array(let part) in bodies { items.append(contentsOf: part) }
    return .array(items)
  }

  /// The answer to a request made by ``body(_:)``, split into each part's answer; `nil` when it cannot be mapped
  /// back exactly (see the type's documentation).
  /// - Parameter keys: each part's ``itemKeys(_:)``, in request order.
  static func split(_ answer: JSONValue, keys: [[String]]) -> [[JSONValue]]? {
    guard case .array(let items) = answer else { return nil }
    var owner: [String: (part: Int, flat: Int)] = [:]
    var flat = 0
    for (part, partKeys) in keys.enumerated() {
      for key in partKeys {
        guard owner.updateValue((part, flat), forKey: key) == nil else { return nil }
        flat += 1
      }
    }
    var answered = [Bool](repeating: false, count: flat)
    var parts = [[JSONValue]](repeating: [], count: keys.count)
    var last = 0
    for item in items {
      guard let metadata = item["metadata"], case .object = metadata, let at = owner[key(metadata)], at.flat >= last
      else { return nil }
      last = at.flat
      answered[at.flat] = true
      parts[at.part].append(item)
    }
    return answered.allSatisfy { $0 } ? parts : nil
  }
}
