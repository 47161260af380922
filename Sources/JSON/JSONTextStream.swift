/// A stream of JSON texts read in chunks, for inputs too large to hold at once (a million captured events): it
/// yields the elements of a top-level array one by one, and each other top-level value whole, so a JSON array, NDJSON
/// and concatenated JSON values all stream with memory bounded by the largest single element.
///
/// The scan is structural (brackets, braces, strings); each unit must still be parsed with
/// ``JSONValue/parse(_:maxDepth:)-([UInt8],_)``, whose error positions count from the unit's first byte (its line is
/// ``Unit/line``).
public struct JSONTextStream {
  /// One element or top-level value.
  public struct Unit: Sendable {
    /// The unit's text.
    public let bytes: [UInt8]
    /// The 1-based line of the input where it starts.
    public let line: Int
    /// Its 0-based index among the units.
    public let index: Int
  }

  /// Why the input is not a sequence of JSON texts.
  public struct StreamError: Error, CustomStringConvertible, Sendable {
    public let line: Int
    public let message: String
    public var description: String { "\(line): \(message)" }
  }

  private let read: (inout [UInt8]) -> Int
  private var buffer: [UInt8] = []
  private var pos = 0
  private var line = 1
  private var atEnd = false
  private var inTopArray = false
  private var count = 0
  private let chunk: Int

  /// A stream over `read`, which appends up to `chunk` more bytes to its argument and returns how many (0 at the
  /// end of the input).
  public init(chunk: Int = 1 << 20, read: @escaping (inout [UInt8], Int) -> Int) {
    self.chunk = chunk
    self.read = { read(&$0, chunk) }
  }

  /// The next unit, or `nil` at the end of the input.
  /// - Throws: ``StreamError`` for unbalanced brackets, an unterminated string or text cut off at the end.
  public mutating func next() throws(StreamError) -> Unit? {
    while true {
      guard let b = try peekSkippingSpace() else {
        if inTopArray { throw StreamError(line: line, message: "the input ends inside the top-level array") }
        return nil
      }
      if inTopArray {
        if b == UInt8(ascii: ",") {
          pos += 1
          continue
        }
        if b == UInt8(ascii: "]") {
          pos += 1
          inTopArray = false
          continue
        }
      } else if b == UInt8(ascii: "[") {
        pos += 1
        inTopArray = true
        continue
      }
      let startLine = line
      let bytes = try scanValue()
      defer { count += 1 }
      return Unit(bytes: bytes, line: startLine, index: count)
    }
  }

  // MARK: Scanning

  /// The next byte that is not white space (not consumed), or `nil` at the end.
  private mutating func peekSkippingSpace() throws(StreamError) -> UInt8? {
    while true {
      while pos < buffer.count {
        let b = buffer[pos]
        if b == 0x0A { line += 1 }
        guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
        pos += 1
      }
      guard fill() else { return nil }
    }
  }

  /// Scans one value starting at `pos`: a container to its matching close, a string to its end, a scalar to the
  /// next delimiter.
  private mutating func scanValue() throws(StreamError) -> [UInt8] {
    var offset = 0  // from `pos`, the unit's first byte
    var depth = 0
    var inString = false
    var escaped = false
    let startLine = line
    while true {
      if pos + offset >= buffer.count {
        if pos > chunk {
          buffer.removeSubrange(0..<pos)
          pos = 0
        }
        guard fill() else {
          // A scalar ending the input; or text cut off, handed over as it is so its parse names the problem.
          if offset > 0 { return take(offset) }
          throw StreamError(line: startLine, message: "the input ends inside a value")
        }
        continue
      }
      let b = buffer[pos + offset]
      if inString {
        if escaped {
          escaped = false
        } else if b == UInt8(ascii: "\\") {
          escaped = true
        } else if b == UInt8(ascii: "\"") {
          inString = false
          if depth == 0 { return take(offset + 1) }
        }
        offset += 1
        continue
      }
      switch b {
      case UInt8(ascii: "\""):
        inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if depth == 0 {
          // A scalar ended by the close of the top-level array; a close with nothing open is an error.
          guard offset > 0 else {
            throw StreamError(line: line, message: "unexpected '\(Character(UnicodeScalar(b)))'")
          }
          return take(offset)
        }
        depth -= 1
        if depth == 0 { return take(offset + 1) }
      case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
        if depth == 0 { return take(offset) }
      default:
        break
      }
      if b == 0x0A { line += 1 }
      offset += 1
    }
  }

  private mutating func take(_ count: Int) -> [UInt8] {
    let bytes = Array(buffer[pos..<(pos + count)])
    pos += count
    return bytes
  }

  /// Reads more input; `false` at the end.
  private mutating func fill() -> Bool {
    guard !atEnd else { return false }
    if pos > chunk && pos == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      pos = 0
    }
    if read(&buffer) == 0 {
      atEnd = true
      return false
    }
    return true
  }
}
