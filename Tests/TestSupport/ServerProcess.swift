import Foundation

/// A long-running `tiktok-harness` subcommand (e.g. `serve --port 0`) started for a test.
public final class ServerProcess: @unchecked Sendable {
  // The Process and pipes are only touched by the test that owns this object.
  private let process = Process()
  private let stdoutPipe = Pipe()
  private let stderrPipe = Pipe()

  /// The first line the process printed on standard output (e.g. `listening on http://127.0.0.1:PORT`).
  public let firstLine: String

  /// Starts `tiktok-harness ARGUMENTS` and waits (up to `timeout` seconds) for its first stdout line.
  public init(_ arguments: [String], currentDirectory: URL? = nil, timeout: TimeInterval = 30) throws {
    process.executableURL = Paths.harnessBinary
    process.arguments = arguments
    process.currentDirectoryURL = currentDirectory ?? Paths.packageRoot
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let handle = stdoutPipe.fileHandleForReading
    var bytes: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let chunk = handle.availableData  // blocks until data or EOF
      if chunk.isEmpty { break }
      bytes.append(contentsOf: chunk)
      if bytes.contains(10) { break }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
  }

  /// The base URL from a `listening on URL` first line.
  public var url: String? {
    guard firstLine.hasPrefix("listening on ") else { return nil }
    return String(firstLine.dropFirst("listening on ".count))
  }

  /// The port from ``url``.
  public var port: UInt16? { url.flatMap { $0.split(separator: ":").last }.flatMap { UInt16($0) } }

  /// Sends `signal` (SIGTERM by default), waits for the exit and returns the status and standard error.
  public func stop(signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
    if process.isRunning { kill(process.processIdentifier, signal) }
    process.waitUntilExit()
    let err = stderrPipe.fileHandleForReading.readDataToEndOfFile()
    return (process.terminationStatus, String(decoding: err, as: UTF8.self))
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
