import Foundation
import Glibc

/// What the CLI wrote to a pseudo-terminal: standard output and standard error interleaved, as a user sees them.
public struct TerminalResult: Sendable {
  public let status: Int32
  public let output: String
}

extension Harness {
  /// Runs `tiktok-harness ARGS` with standard output and standard error on a pseudo-terminal (so `isatty` is true,
  /// as in an interactive shell) and returns what it wrote there.
  public static func runInTerminal(
    _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
  ) throws -> TerminalResult {
    let master = PTY.openMaster(O_RDWR | O_NOCTTY)
    var name = [CChar](repeating: 0, count: 128)
    guard master >= 0, PTY.grant(master) == 0, PTY.unlock(master) == 0, PTY.name(master, &name, name.count) == 0 else {
      throw POSIXError(.ENOTTY)
    }
    defer { close(master) }
    let slave = open(name, O_RDWR | O_NOCTTY)
    guard slave >= 0 else { throw POSIXError(.ENOTTY) }
    // Raw output: no "\n" → "\r\n" translation, so the text is byte for byte what the CLI wrote.
    var attributes = termios()
    tcgetattr(slave, &attributes)
    attributes.c_oflag &= ~tcflag_t(OPOST)
    tcsetattr(slave, TCSANOW, &attributes)

    let process = Process()
    process.executableURL = Paths.harnessBinary
    process.arguments = arguments
    process.currentDirectoryURL = currentDirectory ?? Paths.packageRoot
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "CI")
    env.removeValue(forKey: "NO_COLOR")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    process.standardOutput = terminal
    process.standardError = terminal
    process.standardInput = FileHandle.nullDevice
    try process.run()
    close(slave)  // the child holds its own copies; reading ends (EIO) once it exits

    var output = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = read(master, &buffer, buffer.count)
      if n <= 0 { break }
      output.append(contentsOf: buffer[0..<n])
    }
    process.waitUntilExit()
    return TerminalResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
  }
}

/// glibc's pseudo-terminal calls, looked up at run time: Swift's Glibc module does not export them (they sit behind
/// `_XOPEN_SOURCE` in `stdlib.h`).
private enum PTY {
  static func function<T>(_ symbol: String, as type: T.Type) -> T {
    guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), symbol) else { fatalError("\(symbol) not found") }
    return unsafeBitCast(p, to: type)
  }
  static let openMaster = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
  static let grant = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
  static let unlock = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
  static let name = function("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
}
