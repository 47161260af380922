/// A golden case, vectors file or captured event that could not be read or does not follow the case schema.
public enum GoldenError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file is not valid JSON, or a member has the wrong shape; `line` and `column` are 1-based (UTF-8 bytes).
  case malformed(file: String, line: Int, column: Int, message: String)
  /// The file or folder could not be read at all (missing, permission, not a regular file).
  case unreadable(file: String, message: String)
  /// A file could not be written (during `--update` or `record`).
  case unwritable(file: String, message: String)
  /// A captured event or destination that `record` or `compare` cannot turn into a request.
  case badCapture(String)

  /// `FILE:LINE:COLUMN: message`, `FILE: message`, or the message alone.
  public var description: String {
    switch self {
    case .malformed(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
    case .unreadable(let file, let message): return "\(file): \(message)"
    case .unwritable(let file, let message): return "\(file): cannot write: \(message)"
    case .badCapture(let message): return message
    }
  }
}
