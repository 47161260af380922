import Foundation
import JSON
import TestSupport
import Testing

/// Crafted dates never crash the harness (issue 12: "Crafted input never crashes"). `Sun, 01 Oct 99999999999999999
/// 00:00:00 GMT` on Events 2.0 used to trap in the built-in transformer (an arithmetic overflow computing the date);
/// dates are now parsed as V8 parses them, with years bounded before any arithmetic.
@Suite struct HostileDateTests {
  static let config = #"{"accessToken":"t","pixelCode":"P","version":"v2"}"#
  /// A crash dies at once instead of printing Swift's backtrace.
  static let quietCrash = ["SWIFT_BACKTRACE": "enable=no"]

  static func event(_ timestamp: String, _ id: Int = 1) -> String {
    JSONValue.object([
      "type": "track", "event": "Search", "messageId": .string("m\(id)"), "timestamp": .string(timestamp),
    ]).compactString()
  }

  /// `true` when `r` is a normal exit (not a signal) with 0 and a processor response whose items are all 200, 400
  /// or 500.
  static func answered(_ r: ProcessResult, count: Int) -> Bool {
    guard r.status == 0, let items = try? JSONValue.parse(r.stdout).arrayValue, items.count == count else {
      return false
    }
    return items.allSatisfy { [200, 400, 500].contains($0["statusCode"]?.int64Value ?? 0) }
  }

  @Test func theIssuesTimestampDoesNotCrashTransformReplayRecordOrCompare() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("event.json", Self.event("Sun, 01 Oct 99999999999999999 00:00:00 GMT"))
    try dir.write("dest.json", Self.config)
    do {
      let transform = try Harness.run(
        ["transform", "event.json", "--config", "dest.json"], environment: Self.quietCrash, currentDirectory: dir.url)
      let answered = Self.answered(transform, count: 1)
      #expect(answered, "transform: exit \(transform.status) \(transform.stderr.prefix(200))")
      let record = try Harness.run(
        ["record", "event.json", "--config", "dest.json", "--name", "overflow", "--redact"],
        environment: Self.quietCrash, currentDirectory: dir.url)
      #expect(record.status == 0, "record: exit \(record.status) \(record.stderr.prefix(200))")
      let replay = try Harness.run(
        ["replay", "Golden", "--quiet"], environment: Self.quietCrash, currentDirectory: dir.url)
      #expect(replay.status == 0, "replay: exit \(replay.status) \(replay.stderr.prefix(200))")
      let compare = try Harness.run(
        ["compare", "event.json", "--config", "dest.json", "--transformer", "builtin"], environment: Self.quietCrash,
        currentDirectory: dir.url)
      #expect(compare.status == 0, "compare: exit \(compare.status) \(compare.stderr.prefix(200))")
    }
  }

  /// Every grammar with fields out of range, through `transform` (one process per batch, so one crash does not
  /// hide the others): each event gets an item, none crashes the process.
  @Test func datesWithFieldsOutOfAnyRangeNeverCrashTransform() throws {
    var r = SeededRandom(seed: 0x1212_0001)
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("dest.json", Self.config)
    var crashed: [String] = []
    for batch in 0..<6 {
      let dates = (0..<30).map { _ in DateGrammars.hostile(&r) }
      let lines = dates.enumerated().map { Self.event($1, $0) }.joined(separator: "\n")
      try dir.write("events.ndjson", lines)
      let result = try Harness.run(
        ["transform", "events.ndjson", "--config", "dest.json"], environment: Self.quietCrash, currentDirectory: dir.url
      )
      if !Self.answered(result, count: dates.count) {
        // Find which ones crash, one process each.
        for date in dates {
          try dir.write("one.json", Self.event(date))
          let one = try Harness.run(
            ["transform", "one.json", "--config", "dest.json"], environment: Self.quietCrash, currentDirectory: dir.url)
          if !Self.answered(one, count: 1) { crashed.append(date) }
        }
        #expect(!crashed.isEmpty, "batch \(batch) failed as a whole but no date alone: \(result.stderr.prefix(300))")
      }
    }
    #expect(crashed.isEmpty, "\(crashed.count) dates crash transform, e.g. \(crashed.prefix(5))")
  }
}
