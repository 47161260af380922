import Foundation
import HTTP

/// What `serve` and `serve-transformer` share: the listener's options and running until SIGINT/SIGTERM.
enum ServerOptions {
  /// Reads `--host` (default 127.0.0.1), `--port`, `--threads` and `--max-body` into `http`.
  static func parse(_ args: ParsedArguments, into http: inout HTTPServerConfiguration) throws(CLIError) {
    http.host = args.value("--host") ?? "127.0.0.1"
    if let port = try args.int("--port") {
      guard (0...65535).contains(port) else { throw CLIError.usage("--port must be 0...65535") }
      http.port = UInt16(port)
    }
    if let n = try args.int("--threads") {
      guard (1...64).contains(n) else { throw CLIError.usage("--threads must be 1...64") }
      http.eventLoops = n
    }
    if let n = try args.int("--max-body") {
      guard n > 0 else { throw CLIError.usage("--max-body must be positive") }
      http.limits.maxBodyBytes = n
    }
  }

  /// Blocks SIGINT/SIGTERM before any server thread starts (threads inherit the mask), starts the server with
  /// `start` (which returns its base URL and how to stop it), prints `listening on URL`, and waits for a signal.
  /// - Throws: ``CLIError/badInput(_:)`` when the server cannot start (a taken port, a bad scenario).
  static func runUntilSignalled(
    _ command: String, start: () throws -> (baseURL: String, stop: () -> Void)
  ) throws(CLIError) -> Int32 {
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    let server: (baseURL: String, stop: () -> Void)
    do {
      server = try start()
    } catch {
      throw CLIError.badInput("\(error)")
    }
    Console.out("listening on \(server.baseURL)\n")
    var received: Int32 = 0
    while sigwait(&signals, &received) != 0 {}
    server.stop()
    Console.err("tiktok-harness \(command): stopped (signal \(received))\n")
    return ExitStatus.ok
  }
}
