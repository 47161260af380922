import Foundation
import Glibc
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A replay that dies of a crash signal names the case files it was replaying, and case files may be pipes.
///
/// The case file in flight is a FIFO: replay blocks reading it until the test opens the other end, so the test
/// knows the file is in flight when it sends the signal. An external `SIGSEGV` takes the same handler as a trap in
/// the transformer (`SIGILL`).
@Suite struct ReplayCrashTests {
  @Test func crashSignalNamesTheCaseFileInFlight() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    _ = try dir.write("a-first.json", try sampleCaseText())
    let fifo = dir.url.appendingPathComponent("b-in-flight.json").path
    #expect(mkfifo(fifo, 0o644) == 0)

    let process = Process()
    process.executableURL = Paths.harnessBinary
    process.arguments = ["replay", dir.url.path]
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"  // the default action after the notice, instead of a slow backtrace
    process.environment = env
    let errFile = dir.url.appendingPathComponent("stderr.txt")
    _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
    let err = try FileHandle(forWritingTo: errFile)
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }

    // Opening the write end succeeds only once replay has the FIFO open for reading.
    var writer: Int32 = -1
    let deadline = Date().addingTimeInterval(60)
    while writer < 0 && Date() < deadline && process.isRunning {
      writer = open(fifo, O_WRONLY | O_NONBLOCK)
      if writer < 0 { usleep(10_000) }
    }
    try #require(writer >= 0, "replay never opened the FIFO case file")
    kill(process.processIdentifier, SIGSEGV)
    waitForCrash(process)
    close(writer)
    try err.close()

    let stderr = try String(contentsOf: errFile, encoding: .utf8)
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == SIGSEGV)
    // Files run concurrently, so a-first.json may be listed too if its thread had not finished it.
    #expect(stderr.contains("tiktok-harness replay: crashed (SIGSEGV); case files in flight:\n"), "\(stderr)")
    #expect(stderr.contains("\n  \(fifo)\n"), "\(stderr)")
  }

  /// A replay that crashes still leaves its JUnit report: the cases done so far, and the case in flight as an
  /// error naming the crash, so a CI job shows which case killed it.
  @Test func aCrashStillWritesTheJUnitReportWithTheCaseInFlight() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    _ = try dir.write("Golden/v1/a-first.json", try sampleCaseText())
    try FileManager.default.createDirectory(
      at: dir.url.appendingPathComponent("Golden/v2"), withIntermediateDirectories: true)
    let fifo = dir.url.appendingPathComponent("Golden/v2/b-in-flight.json").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let report = dir.url.appendingPathComponent("out/reports/junit.xml")

    let process = Process()
    process.executableURL = Paths.harnessBinary
    process.arguments = ["replay", "Golden/v1", "Golden/v2", "--report", "junit", report.path]
    process.currentDirectoryURL = dir.url
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = env
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    var writer: Int32 = -1
    let deadline = Date().addingTimeInterval(60)
    while writer < 0 && Date() < deadline && process.isRunning {
      writer = open(fifo, O_WRONLY | O_NONBLOCK)
      if writer < 0 { usleep(10_000) }
    }
    try #require(writer >= 0, "replay never opened the FIFO case file")
    kill(process.processIdentifier, SIGILL)
    waitForCrash(process)
    close(writer)
    #expect(process.terminationReason == .uncaughtSignal)

    let xml = try XMLDocument(contentsOf: report)
    let crashed = try xml.nodes(forXPath: "//testcase[@name='v2/b-in-flight']/error[@type='crash']/@message")
    #expect(crashed.first?.stringValue == "replay crashed (SIGILL) while this case was running")
    let classname = try xml.nodes(forXPath: "//testcase[@name='v2/b-in-flight']/@classname").first?.stringValue
    #expect(classname == "golden.v2")
    #expect(try xml.nodes(forXPath: "//testcase[@file='Golden/v2/b-in-flight.json']").count == 1)
    let suite = try #require(try xml.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
    let tests = Int(suite.attribute(forName: "tests")?.stringValue ?? "") ?? 0
    #expect(tests == (try xml.nodes(forXPath: "//testcase").count))
    #expect((Int(suite.attribute(forName: "errors")?.stringValue ?? "") ?? 0) >= 1)
  }

  @Test func caseFileMayBeAPipe() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let fifo = dir.url.appendingPathComponent("piped.json").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let text = try sampleCaseText()
    let feeder = Thread {
      let fd = open(fifo, O_WRONLY)  // blocks until replay opens the FIFO
      guard fd >= 0 else { return }
      var bytes = Array(text.utf8)
      _ = write(fd, &bytes, bytes.count)
      close(fd)
    }
    feeder.start()
    let result = try Harness.run(["replay", fifo])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 passed, 0 failed"), "\(result.stdout)")
  }
}

/// Waits for a process sent a crash signal to die. The signal may land anywhere, inside `malloc` too: a handler
/// that allocated would hang there for good, so after 30 s the process is killed and the test fails.
private func waitForCrash(_ process: Process) {
  let deadline = Date().addingTimeInterval(30)
  while process.isRunning && Date() < deadline { usleep(10_000) }
  if process.isRunning {
    kill(process.processIdentifier, SIGKILL)
    Issue.record("replay hung in its crash handler (still running 30 s after the signal)")
  }
  process.waitUntilExit()
}
