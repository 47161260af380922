import JSON

/// What the transformer did with one input event, recorded on its own code path when a caller asks for it
/// (`explain`, `replay --coverage`, `record --dedupe`). Every transformer function takes an optional trace; with
/// `nil` (every other caller) each recording point is a single untaken branch.
///
/// It records, in the transformer's terms:
/// - where each output field came from (an input path, the destination's Config, or a constant), the steps
///   applied to it in order, and the spec rules that fired on the way;
/// - every input path the transformer read, so that the fields nothing read can be listed;
/// - the check that failed, for an event that became an error;
/// - the mapping rows the event exercised (``CoverageRow``).
public final class TransformTrace {
  /// Where in the output a field is: a target (the TikTok event of a v1 request, or the `data[]` entry of a v2
  /// request; `nil` for the body's own fields) and the path within that payload.
  public struct Place: Hashable, Sendable {
    public let target: Int?
    public let path: [String]
  }

  /// Where a value came from.
  public enum Source: Sendable, Equatable {
    /// A path in the request item (`["message", "context", "traits", "email"]`).
    case input([String])
    /// Written by the transformer itself (a default, a constant, a name from a table), described.
    case constant(String)
  }

  /// The lineage of one output field.
  public struct Origin: Sendable {
    public var source: Source
    public var steps: [String]
    public var rules: [SpecRule]
  }

  /// The check of spec §3 (or the runtime failure) an error item comes from, and the input it looked at.
  public struct Failure: Sendable {
    public let check: String
    public let pointer: [String]
  }

  public private(set) var origins: [Place: Origin] = [:]
  /// Places in the order they were first written.
  public private(set) var order: [Place] = []
  /// Input paths the transformer read (a whole subtree counts as read when its root is).
  public private(set) var reads: Set<[String]> = []
  /// Rules that fired for the event as a whole (not tied to one output field).
  public private(set) var eventRules: [SpecRule] = []
  public private(set) var failure: Failure?
  /// The mapping rows this event exercised.
  public private(set) var rows: Set<CoverageRow> = []
  /// Q17: the input path of the body of a router input that came in already transformed.
  public private(set) var pretransformedBody: [String]?
  /// Input paths a pipeline step moved (R3: `timestamp` now holds what was at `properties.timestamp`), so that
  /// a later read is attributed to where the value really came from.
  private var moved: [[String]: (source: [String], rule: SpecRule)] = [:]

  /// `false` when only the coverage rows are wanted (`record --dedupe`): field origins and reads are not kept.
  public let recordsLineage: Bool

  /// A trace recording everything, or (with `lineage: false`) only the coverage rows.
  public init(lineage: Bool = true) {
    recordsLineage = lineage
  }

  /// The number of TikTok events (targets) the event's name resolved to: its `data[]` entries in v2, its
  /// requests in v1.
  public internal(set) var targetCount = 1

  // MARK: Recording (called by the transformer)

  func read(_ path: [String]) {
    guard recordsLineage else { return }
    reads.insert(resolve(path).source)
  }

  func field(_ place: Place, from source: Source, steps: [String] = [], rules: [SpecRule] = []) {
    guard recordsLineage else {
      for rule in rules { rows.insert(.rule(rule)) }
      if case .input(let path) = source { _ = resolve(path) }  // R3, R4: the rule of a moved value
      return
    }
    var source = source
    var rules = rules
    if case .input(let path) = source {
      let resolved = resolve(path)
      source = .input(resolved.source)
      if let rule = resolved.rule { rules.append(rule) }
      // A field built from a container (contents from products) reads only what its parts record.
      if steps.first?.hasPrefix("built from") != true { reads.insert(resolved.source) }
    }
    if origins[place] == nil { order.append(place) }
    origins[place] = Origin(source: source, steps: steps, rules: rules)
    for rule in rules { rows.insert(.rule(rule)) }
  }

  func step(_ place: Place, _ step: String, rules: [SpecRule] = []) {
    for rule in rules { rows.insert(.rule(rule)) }
    guard recordsLineage, var origin = origins[place] else { return }
    origin.steps.append(step)
    origin.rules.append(contentsOf: rules)
    origins[place] = origin
    for rule in rules { rows.insert(.rule(rule)) }
  }

  func rule(_ place: Place, _ rule: SpecRule) {
    origins[place]?.rules.append(rule)
    rows.insert(.rule(rule))
  }

  func remove(_ place: Place) {
    origins[place] = nil
    order.removeAll { $0 == place }
  }

  func eventRule(_ rule: SpecRule) {
    if !eventRules.contains(rule) { eventRules.append(rule) }
    rows.insert(.rule(rule))
  }

  func fail(_ check: String, at pointer: [String]) {
    if failure == nil { failure = Failure(check: check, pointer: pointer) }
  }

  func hit(_ row: CoverageRow) { rows.insert(row) }

  func pretransformed() {
    pretransformedBody = ["message", "body", "JSON"]
    reads.insert(["message"])
  }

  func move(_ path: [String], from source: [String], rule: SpecRule) { moved[path] = (source, rule) }

  private func resolve(_ path: [String]) -> (source: [String], rule: SpecRule?) {
    guard !moved.isEmpty else { return (path, nil) }
    for (target, origin) in moved where path.starts(with: target) {
      rows.insert(.rule(origin.rule))
      return (origin.source + path.dropFirst(target.count), origin.rule)
    }
    return (path, nil)
  }
}

extension TransformTrace {
  /// The dotted path `text` as tokens under `message`.
  static func messagePath(_ path: FieldPath) -> [String] { ["message"] + path.components }
}
