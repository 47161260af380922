/// A row of the mapping that an event can exercise: an output field from one source path, an event name, a
/// check of spec §3 (or a runtime failure), a spec rule, a batching rule. `replay --coverage` lists every row with
/// the cases that reached it; `record --dedupe` keeps an event when it reaches a row, or a set of rows, no earlier
/// event did.
public struct CoverageRow: Hashable, Sendable, Comparable, CustomStringConvertible {
  public enum Kind: String, Sendable, CaseIterable {
    case field, eventName = "event name", check, rule, batching
  }

  public let kind: Kind
  /// The row's name, unique within its kind (`v2 user.email ← context.traits.email`).
  public let name: String

  public var description: String { "\(kind.rawValue): \(name)" }

  public static func < (a: CoverageRow, b: CoverageRow) -> Bool {
    (Kind.allCases.firstIndex(of: a.kind) ?? 0, a.name) < (Kind.allCases.firstIndex(of: b.kind) ?? 0, b.name)
  }

  // MARK: Constructors shared by the recording points and the list of all rows

  static func version(_ isV2: Bool) -> String { isV2 ? "v2" : "v1" }

  static func field(_ isV2: Bool, _ destination: String, _ source: String) -> CoverageRow {
    CoverageRow(kind: .field, name: "\(version(isV2)) \(destination) ← \(source)")
  }

  static func event(_ isV2: Bool, _ rule: String) -> CoverageRow {
    CoverageRow(kind: .eventName, name: "\(version(isV2)) \(rule)")
  }

  static func check(_ isV2: Bool?, _ name: String) -> CoverageRow {
    CoverageRow(kind: .check, name: isV2.map { "\(version($0)) \(name)" } ?? name)
  }

  static func rule(_ rule: SpecRule) -> CoverageRow { CoverageRow(kind: .rule, name: rule.id) }

  static func batching(_ name: String) -> CoverageRow { CoverageRow(kind: .batching, name: name) }
}

extension CoverageRow {
  /// Every row the built-in transformer can exercise, from the same tables and names its recording points use.
  public static let all: [CoverageRow] = {
    var rows: [CoverageRow] = []
    for (isV2, mapping) in [(false, EventsV1.mapping), (true, EventsV2.mapping)] {
      for row in mapping.rows {
        for source in row.sources { rows.append(.field(isV2, row.destination.description, source.description)) }
      }
      rows.append(.field(isV2, "properties.contents", "properties.products"))
      rows.append(.field(isV2, "properties.contents", "properties.contents (wrapped)"))
      for name in EventNames.builtIn.keys {
        rows.append(.event(isV2, "built-in: \(name) → \(EventNames.builtIn[name] ?? "")"))
      }
      for rule in [
        "eventsToStandard, one target", "eventsToStandard, several targets", "custom event (sendCustomEvents)",
        "R1: a name every object inherits, no event",
      ] {
        rows.append(.event(isV2, rule))
      }
    }
    rows += derivedV1 + derivedV2
    for (name, versions) in Check.all {
      for version in versions { rows.append(.check(version, name)) }
    }
    rows += SpecRule.all.map(CoverageRow.rule)
    rows += batchingRules.map(CoverageRow.batching)
    return rows.sorted()
  }()

  private static let derivedV1: [CoverageRow] =
    [
      .field(false, "pixel_code", "Config.pixelCode"),
      .field(false, "properties.contents[].content_type", "properties.contentType"),
      .field(false, "properties.contents[].content_type", "default product_group"),
      .field(false, "context.user.external_id", "context.externalId[type tiktokExternalId].id"),
      .field(false, "context.user.email", "traits.email"), .field(false, "context.user.email", "context.traits.email"),
      .field(false, "context.user.phone_number", "traits.phone"),
      .field(false, "context.user.phone_number", "context.traits.phone"),
    ] + ["external_id", "email", "phone_number"].map { .field(false, "hash context.user.\($0)", "sha256 (UTF-8)") }

  private static let derivedV2: [CoverageRow] =
    [
      .field(true, "event_source_id", "Config.pixelCode"), .field(true, "event_source", "default web"),
      .field(true, "event_source", "properties.eventSource"), .field(true, "event_source", "properties.event_source"),
      .field(true, "test_event_code", "properties.testEventCode"),
      .field(true, "properties.content_type", "default product (§7.3)"),
      .field(true, "properties.contents_ids, num_items", "properties.contents[].content_id"),
      .field(true, "user.external_id", "context.externalId[type tiktokExternalId].id"),
      .field(true, "user.gaid", "removed for an Apple OS (§7.4)"),
      .field(true, "user.idfa", "removed for Android (§7.4)"), .field(true, "user.idfv", "removed for Android (§7.4)"),
    ]
    + ["external_id", "email", "phone", "idfa", "gaid"].map {
      .field(true, "hash user.\($0)", "sha256 (UTF-16 low bytes)")
    }

  /// The router's rows (spec §8).
  static let batchingRules = [
    "v1: pixel/batch of at most maxBatchSizeV1 TikTok events (§8.3)",
    "v1: a new batch when the next event would pass the limit (§8.3)",
    "v2: event/track batch of at most maxBatchSizeV2 data entries (§8.4)",
    "v2: a new batch when the next event would pass the limit (§8.4)",
    "v2: one batch series per event_source (§8.4)", "§8.1: several groups in one request",
    "v1 group: an event configured for v2 is transformed the v2 way (§8.1)", "§8.2: a test event is sent alone",
    "§8.5: sorted by minimum jobId", "R13: the whole request fails", "R14: the whole group fails",
  ]
}
