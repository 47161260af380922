import Foundation
import Glibc
import JSON
import TestSupport

/// `tiktok-harness serve --port 0` running as a child process for one test; stopped by ``stop()``.
final class ServeProcess {
  let process = Process()
  let base: String
  let journal: URL
  private let folder: TemporaryDirectory

  /// Starts the mock with `scenario` (JSON text) and a journal, and waits for its `listening on` line.
  init(scenario: String) throws {
    folder = try TemporaryDirectory(prefix: "deliver-serve")
    let scenarioFile = try folder.write("scenario.json", scenario)
    journal = folder.url.appendingPathComponent("journal.ndjson")
    let out = folder.url.appendingPathComponent("serve.out")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    process.executableURL = Paths.harnessBinary
    process.arguments = ["serve", "--port", "0", "--scenario", scenarioFile.path, "--journal", journal.path]
    process.currentDirectoryURL = Paths.packageRoot
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    var found: String?
    while found == nil && Date() < deadline && process.isRunning {
      let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
      if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
        found = String(line.dropFirst("listening on ".count))
      } else {
        usleep(20_000)
      }
    }
    guard let found else {
      process.terminate()
      throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve did not start"])
    }
    base = found
  }

  /// The journal lines written so far, parsed; throws when the journal cannot be read or a line is not JSON, so a
  /// bad line is never silently left out.
  func journalEntries() throws -> [JSONValue] {
    let text = try String(contentsOf: journal, encoding: .utf8)
    return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
  }

  /// Stops the mock and removes its folder.
  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    folder.remove()
  }
}

/// A proxy request (v0: one metadata object; v1: a metadata array) carrying `X-Case: name` for the mock's rules.
func proxyRequestJSON(case name: String, version: String) -> String {
  let metadata = #"{"jobId": 7, "destinationId": "dest-1", "workspaceId": "ws-1"}"#
  return """
    {"version": "\(version)", "type": "REST", "method": "POST",
     "endpoint": "https://business-api.tiktok.com/open_api/v1.3/event/track/",
     "headers": {"Access-Token": "tok", "Content-Type": "application/json", "X-Case": "\(name)"},
     "params": {"destination": "tiktok_ads"},
     "body": {"JSON": {"event_source": "web", "event_source_id": "PIXEL1", "partner_name": "RudderStack",
                       "data": [{"event": "CompletePayment", "event_time": 1715249551}]},
              "JSON_ARRAY": {}, "XML": {}, "FORM": {}},
     "files": {}, "metadata": \(version == "v0" ? metadata : "[\(metadata)]")}
    """
}
