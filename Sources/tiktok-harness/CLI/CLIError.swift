/// Exit codes shared by every command (see design.md).
enum ExitStatus {
  /// Success: everything passed.
  static let ok: Int32 = 0
  /// A regression or an unexpected outcome was found.
  static let failure: Int32 = 1
  /// Bad input or usage: a malformed file, a missing file, an unknown flag.
  static let badInput: Int32 = 2
  /// A transformer or endpoint could not be reached or did not answer JSON.
  static let unreachable: Int32 = 3
}

/// An error the user can act on; the CLI prints its message on one line and exits with its status.
enum CLIError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Wrong flags or arguments; the command's usage follows the message.
  case usage(String)
  /// An unreadable or malformed input, named with its place (`FILE:LINE:COLUMN: ...`).
  case badInput(String)
  /// A peer (transformer URL, endpoint) that could not be reached.
  case unreachable(String)

  var description: String {
    switch self {
    case .usage(let m), .badInput(let m), .unreachable(let m): return m
    }
  }

  var exitStatus: Int32 {
    switch self {
    case .usage, .badInput: return ExitStatus.badInput
    case .unreachable: return ExitStatus.unreachable
    }
  }
}
