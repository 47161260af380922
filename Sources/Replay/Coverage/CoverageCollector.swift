import Golden
import JSON
import Synchronization
import TikTokAds

/// `replay --coverage`: which rows of the mapping (``TikTokAds/CoverageRow/all``) the replayed cases reached, and
/// which cases reached each. The rows come from the built-in transformer's own traced run on each case's input,
/// whatever transformer the replay is testing: coverage is a property of the corpus.
public final class CoverageCollector: Sendable {
  private let reached = Mutex<[CoverageRow: Set<String>]>([:])
  private let builtin = BuiltinTransformer()

  public init() {}

  /// Records the rows `request` (the case named `name`) exercises. Safe to call from several threads.
  public func add(case name: String, request: TransformRequest) {
    let rows = builtin.coverage(of: request)
    guard !rows.isEmpty else { return }
    reached.withLock { map in
      for row in rows { map[row, default: []].insert(name) }
    }
  }

  /// Every row with the cases that reached it: rows no case reached first, then the others, each group in the
  /// order of ``TikTokAds/CoverageRow/all``.
  public func rows() -> [(row: CoverageRow, cases: [String])] {
    let map = reached.withLock { $0 }
    let all = CoverageRow.all.map { (row: $0, cases: (map[$0] ?? []).sorted()) }
    return all.filter { $0.cases.isEmpty } + all.filter { !$0.cases.isEmpty }
  }
}
