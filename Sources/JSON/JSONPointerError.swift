/// A JSON Pointer text that is not valid RFC 6901.
public struct JSONPointerError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The text that failed to parse.
  public let text: String
  /// The 0-based UTF-8 byte offset of the problem in `text`.
  public let offset: Int
  /// What was wrong, e.g. `must start with '/'`.
  public let message: String

  /// Creates an error.
  public init(text: String, offset: Int, message: String) {
    self.text = text
    self.offset = offset
    self.message = message
  }

  /// `invalid JSON pointer "<text>" at byte <offset>: <message>`.
  public var description: String { "invalid JSON pointer \"\(text)\" at byte \(offset): \(message)" }
}
