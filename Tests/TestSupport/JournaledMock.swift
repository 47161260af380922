import Foundation
import HTTP
import MockTikTok

/// A mock TikTok server started on a free loopback port with its journal in a fresh temporary folder.
public final class JournaledMock {
  /// The running server.
  public let server: MockTikTokServer
  /// The journal file (one JSON line per answered request).
  public let journalPath: String
  private let directory: TemporaryDirectory

  /// Starts the mock with `eventLoops` event-loop threads and a journal under a new temporary folder.
  public init(prefix: String = "mock-journal", eventLoops: Int = 2) throws {
    directory = try TemporaryDirectory(prefix: prefix)
    journalPath = directory.url.appendingPathComponent("journal.jsonl").path
    var config = MockTikTokConfiguration()
    config.journalPath = journalPath
    config.http.eventLoops = eventLoops
    server = try MockTikTokServer(configuration: config)
    try server.start()
  }

  /// Stops the server and removes the temporary folder.
  public func stop() {
    server.stop()
    directory.remove()
  }
}
