/// A JSON text that could not be parsed, with the position of the first problem.
///
/// Positions count UTF-8 bytes: `column` is the 1-based byte column within the line (a line ends at `\n`),
/// and `offset` is the 0-based byte offset from the start of the input.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The 1-based line of the problem; lines end at `\n`.
  public let line: Int
  /// The 1-based column of the problem, in UTF-8 bytes from the start of the line.
  public let column: Int
  /// The 0-based byte offset of the problem from the start of the input.
  public let offset: Int
  /// What was wrong, as a short lowercase fragment, e.g. `expected ',' or '}' after object member`.
  public let message: String

  /// Creates an error at an explicit position.
  public init(line: Int, column: Int, offset: Int, message: String) {
    self.line = line
    self.column = column
    self.offset = offset
    self.message = message
  }

  /// `line:column: message`, e.g. `1:8: expected '"' to begin an object key`.
  public var description: String { "\(line):\(column): \(message)" }

  /// Creates an error at byte `offset` of `bytes`, computing the line and column.
  init(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ message: String) {
    var line = 1
    var lineStart = 0
    var i = 0
    let limit = min(offset, bytes.count)
    while i < limit {
      if bytes[i] == 0x0A {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    self.init(line: line, column: offset - lineStart + 1, offset: offset, message: message)
  }
}
