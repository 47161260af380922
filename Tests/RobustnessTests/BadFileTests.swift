import Foundation
import TestSupport
import Testing

/// Truncated, empty, non-UTF-8 and 100,000-deep JSON in every file the CLI reads (cases, captures, events,
/// destination configs, scenarios, request bodies): exit 2 with `FILE:LINE:COLUMN: what`, never a crash.
@Suite struct BadFileTests {
  enum Bad: String, CaseIterable, CustomTestStringConvertible {
    case truncated, empty, nonUTF8, deepArrays, deepObjects, deepInsideValidPrefix

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
      switch self {
      case .truncated: return Array(#"{"type": "track", "event": "Order Completed", "properties": {"value": 4"#.utf8)
      case .empty: return []
      case .nonUTF8:
        return Array(#"{"type": "track", "event": "Order "#.utf8) + [0xFF, 0xFE] + Array(#"", "x": 1}"#.utf8)
      case .deepArrays:
        return Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
      case .deepObjects:
        return Array((String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)).utf8)
      case .deepInsideValidPrefix:
        return Array(("{\"type\": \"track\",\n \"properties\": " + String(repeating: "[", count: 100_000)).utf8)
      }
    }

    /// The `LINE:COLUMN` the error must name.
    var place: String {
      switch self {
      case .truncated: return "1:72"
      case .empty: return "1:1"
      case .nonUTF8: return "1:35"
      case .deepArrays: return "1:1001"
      case .deepObjects: return "1:5001"
      case .deepInsideValidPrefix: return "2:1015"
      }
    }
  }

  /// A valid event and destination to pair with the bad file.
  static let event =
    #"{"type":"track","event":"Order Completed","messageId":"m-1","timestamp":"2024-05-09T10:12:31Z","properties":{"value":4}}"#
  static let destination = #"{"Config":{"accessToken":"T","pixelCode":"P","version":"v2"}}"#

  /// Each way the CLI reads a user's file; `BAD` is replaced by the bad file's path.
  static let commands: [[String]] = [
    ["replay", "DIR"],
    ["replay", "BAD"],
    ["record", "BAD", "--config", "DEST", "--name", "n", "--golden", "GOLDEN"],
    ["record", "EVENT", "--config", "BAD", "--name", "n", "--golden", "GOLDEN"],
    ["compare", "BAD", "--config", "DEST", "--transformer", "http://127.0.0.1:9"],
    ["compare", "EVENT", "--config", "BAD", "--transformer", "http://127.0.0.1:9"],
    ["serve", "--port", "0", "--scenario", "BAD"],
    ["transform", "BAD"],
    ["transform", "--router", "BAD"],
    ["deliver", "BAD", "--endpoint-base", "http://127.0.0.1:9"],
  ]

  @Test(arguments: Bad.allCases)
  func everyCommandReportsThePlace(_ bad: Bad) throws {
    let dir = try TemporaryDirectory(prefix: "robust-badfile")
    defer { dir.remove() }
    let badFile = dir.url.appendingPathComponent("cases/bad.json")
    try FileManager.default.createDirectory(at: badFile.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bad.bytes).write(to: badFile)
    let eventFile = try dir.write("event.json", Self.event)
    let destFile = try dir.write("dest.json", Self.destination)
    for command in Self.commands {
      let args = command.map { arg -> String in
        switch arg {
        case "BAD": return badFile.path
        case "DIR": return badFile.deletingLastPathComponent().path
        case "EVENT": return eventFile.path
        case "DEST": return destFile.path
        case "GOLDEN": return dir.url.appendingPathComponent("golden").path
        default: return arg
        }
      }
      let result = try Harness.run(args, timeout: 60)
      let output = result.stdout + result.stderr
      let label = "\(bad) → \(command.joined(separator: " "))"
      #expect(result.status == 2, "\(label): exit \(result.status)\n\(output.prefix(500))")
      #expect(output.contains("bad.json"), "\(label): no file named\n\(output.prefix(500))")
      #expect(output.contains(bad.place), "\(label): no \(bad.place)\n\(output.prefix(500))")
      #expect(!output.contains("Fatal error") && !output.contains("Crash") && !output.contains("Backtrace"), "\(label)")
    }
  }

  /// NDJSON captures: the error names the line of the capture that is bad.
  @Test func badLineInACaptureIsNamed() throws {
    let dir = try TemporaryDirectory(prefix: "robust-badfile")
    defer { dir.remove() }
    let destFile = try dir.write("dest.json", Self.destination)
    for (tail, place) in [
      (Array("{\"type\":\"track\"\n".utf8), "2:16"), ([0xFF, 0x0A], "2:1"),
      (Array((String(repeating: "[", count: 100_000) + "\n").utf8), "2:1001"),
    ] {
      let capture = dir.url.appendingPathComponent("capture.ndjson")
      try Data(Array((Self.event + "\n").utf8) + tail).write(to: capture)
      let result = try Harness.run([
        "compare", capture.path, "--config", destFile.path, "--transformer", "http://127.0.0.1:9",
      ])
      #expect(result.status == 2)
      #expect(result.stderr.contains("capture.ndjson:\(place):"), "\(result.stderr)")
    }
  }

  /// An event nested within the parser's depth limit makes a case file deeper than the limit (the case wrapper adds
  /// levels), which `replay` would report malformed: `record` refuses it instead of writing it.
  @Test func recordRefusesACaseReplayCouldNotRead() throws {
    let dir = try TemporaryDirectory(prefix: "robust-badfile")
    defer { dir.remove() }
    let deep = String(repeating: "[", count: 998) + String(repeating: "]", count: 998)
    let eventFile = try dir.write(
      "event.json", #"{"type":"track","event":"Order Completed","messageId":"m","properties":{"deep":\#(deep)}}"#)
    let destFile = try dir.write("dest.json", Self.destination)
    let golden = dir.url.appendingPathComponent("golden").path
    let recorded = try Harness.run([
      "record", eventFile.path, "--config", destFile.path, "--name", "deep", "--golden", golden,
    ])
    // record refuses a case that replay could not read back, instead of writing a file replay reports as malformed.
    #expect(recorded.status == 2, "\(recorded.stdout)")
    #expect(recorded.stderr.contains("nested too deeply"), "\(recorded.stderr)")
    #expect(!FileManager.default.fileExists(atPath: golden + "/recorded/deep.json"))
  }
}
