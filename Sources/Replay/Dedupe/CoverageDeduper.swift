import Dispatch
import Golden
import JSON
import TikTokAds

/// `record --dedupe`: keeps an event only when it reaches a mapping row (``TikTokAds/CoverageRow``), or a
/// combination of rows, that no event kept before it reached, as afl-cmin keeps only inputs with new coverage.
///
/// What counts as a combination is ``Depth``: pairs of rows by default (pairwise coverage: every two rows that
/// occur together in the capture occur together in a kept event), or whole row sets. Memory is bounded by the
/// number of rows squared for pairs, and by the number of distinct row sets for sets; never by the event count.
public struct CoverageDeduper {
  /// Which combinations of rows make an event worth keeping.
  public enum Depth: String, Sendable, CaseIterable {
    /// New rows only.
    case rows
    /// New rows, or two rows never reached together before (the default).
    case pairs
    /// New rows, or a whole set of rows never reached before (every distinct combination; keeps many events).
    case sets
  }

  /// Why an event is kept.
  public enum Reason: Equatable, Sendable {
    /// It reaches this many rows no kept event reached.
    case newRows(Int)
    /// Its rows were all reached before, but never in this combination.
    case newCombination
  }

  public let depth: Depth
  private var pairs: [UInt64]

  private static let index: [CoverageRow: Int] = Dictionary(
    uniqueKeysWithValues: CoverageRow.all.enumerated().map { ($1, $0) })
  private var reached = [Bool](repeating: false, count: CoverageRow.all.count)
  private var combinations: Set<RowSetKey> = []
  /// How many rows kept events reached so far.
  public private(set) var rowsReached = 0

  public init(depth: Depth = .pairs) {
    self.depth = depth
    let n = CoverageRow.all.count
    pairs = depth == .pairs ? [UInt64](repeating: 0, count: (n * n + 63) / 64) : []
  }

  /// Decides on an event that exercised `rows`: the reason to keep it, or `nil` to drop it. Nothing is marked
  /// until ``keep(_:)``: an event that is worth keeping but then not written (refused) leaves its rows for a later
  /// event to reach.
  public func decide(_ rows: Set<CoverageRow>) -> Reason? {
    let indices = Self.indices(rows)
    let new = indices.count { !reached[$0] }
    if new > 0 { return .newRows(new) }
    switch depth {
    case .rows: return nil
    case .pairs:
      return Self.forEachPair(indices) { bit in pairs[bit / 64] & Self.mask(bit) == 0 } ? .newCombination : nil
    case .sets: return combinations.contains(RowSetKey(indices)) ? nil : .newCombination
    }
  }

  /// Marks `rows`, and their pairs or set, as reached by a kept event.
  public mutating func keep(_ rows: Set<CoverageRow>) {
    let indices = Self.indices(rows)
    for i in indices where !reached[i] {
      reached[i] = true
      rowsReached += 1
    }
    switch depth {
    case .rows: break
    case .pairs:
      _ = Self.forEachPair(indices) { bit in
        pairs[bit / 64] |= Self.mask(bit)
        return false
      }
    case .sets: combinations.insert(RowSetKey(indices))
    }
  }

  private static func indices(_ rows: Set<CoverageRow>) -> [Int] {
    rows.compactMap { index[$0] }.sorted()
  }

  private static func mask(_ bit: Int) -> UInt64 { 1 << UInt64(bit % 64) }

  /// Calls `body` with the bit of every pair of `indices` (lower index first) until it returns `true`; `true` then.
  private static func forEachPair(_ indices: [Int], _ body: (Int) -> Bool) -> Bool {
    let n = CoverageRow.all.count
    for (k, i) in indices.enumerated() {
      for j in indices[(k + 1)...] where body(i * n + j) { return true }
    }
    return false
  }

  /// The rows of each processor request item, from the built-in transformer's traced run; computed on every core.
  public static func rows(of items: [JSONValue]) -> [Set<CoverageRow>] {
    var out = [Set<CoverageRow>](repeating: [], count: items.count)
    out.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      let transformer = TikTokAdsTransformer()
      DispatchQueue.concurrentPerform(iterations: items.count) { i in
        buffer[i] = (try? transformer.tracedProcessorResponse(for: [items[i]], lineage: false))?.rows ?? []
      }
    }
    return out
  }
}

/// A set of row indices, kept as two 64-bit hashes (collisions are negligible for millions of distinct sets).
private struct RowSetKey: Hashable {
  let a: UInt64
  let b: UInt64

  init(_ sorted: [Int]) {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
    var b: UInt64 = 0x8422_2325_cbf2_9ce4
    for i in sorted {
      a = (a ^ UInt64(i)) &* 0x0000_0100_0000_01B3
      b = (b &+ UInt64(i) &+ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
      b ^= b >> 31
    }
    self.a = a ^ UInt64(sorted.count)
    self.b = b
  }
}
