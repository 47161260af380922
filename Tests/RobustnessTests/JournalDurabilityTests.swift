import Foundation
import HTTP
import MockTikTok
import TestSupport
import Testing

/// On a quiet server, the journal line of a request is in the file by the time its client sees the outcome,
/// whatever the outcome (answer or transport fault). Under load a late line hides behind the lines that follow it,
/// so this is checked one request at a time. (`Scripts/soak/quiet_kill.py` does the same with SIGKILL.)
@Suite struct JournalDurabilityTests {
  @Test(arguments: [nil] + MockTikTok.FaultAction.Transport.allCases.map { Optional($0) })
  func lineIsOnDiskWhenTheClientSeesTheOutcome(_ transport: FaultAction.Transport?) throws {
    let journaled = try JournaledMock(prefix: "robust-journal", eventLoops: 1)
    defer { journaled.stop() }
    let mock = journaled.server
    let journal = journaled.journalPath
    if let transport { mock.addRule(FaultRule(name: "fault", action: .transport(transport))) }
    for i in 1...3 {
      let c = try HTTPClientConnection(host: "127.0.0.1", port: mock.port, timeout: 5)
      let body = Array(HostileClientTests.body.utf8)
      _ = try? c.send(
        method: "POST", target: "/open_api/v1.3/event/track/",
        headers: ["Access-Token": "t", "Content-Type": "application/json", "X-Id": "\(i)"], body: body)
      c.close()
      // No waiting: the outcome has been seen, so the line must already be there.
      let lines = (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n") ?? []
      #expect(lines.count == i, "\(transport.map(\.rawValue) ?? "normal") request \(i): \(lines.count) lines")
    }
  }
}
