import JSON

/// §8.5 output ordering: upstream sorts a group's output items with `Array.prototype.sort` and a comparator that
/// subtracts each item's minimum `jobId` (`Math.min` over its metadata). This reproduces V8's sort exactly, so
/// the comparator's edge cases give upstream's order too: R12, a batch with no metadata has the minimum Infinity
/// and sorts last; R18, a missing or non-numeric `jobId` makes the comparator return NaN, which V8's TimSort
/// treats as "not less than".
enum JobIdOrder {
  /// The indices of `items` in upstream's order.
  static func order(_ items: [JSONValue]) -> [Int] {
    let keys = items.map(minimumJobId)
    var order = Array(items.indices)
    V8Sort.sort(&order) { keys[$0] - keys[$1] }
    return order
  }

  /// `Math.min(...item.metadata.map(m => m.jobId))`: Infinity for no metadata, NaN when any jobId is not a number.
  static func minimumJobId(_ item: JSONValue) -> Double {
    let metadata = item["metadata"]?.arrayValue ?? []
    var minimum = Double.infinity
    for entry in metadata {
      let id = entry.isNull ? Double.nan : JavaScriptConversion.toNumber(entry["jobId"])
      if id.isNaN { return .nan }
      minimum = Swift.min(minimum, id)
    }
    return minimum
  }
}

/// V8's `Array.prototype.sort` over indices (see ``TimSort``).
enum V8Sort {
  static func sort(_ array: inout [Int], _ compare: @escaping (Int, Int) -> Double) {
    var state = TimSort(array: array, compare: compare)
    state.run()
    array = state.array
  }
}
