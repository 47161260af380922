/// The elements of a large top-level JSON array read in runs that can be parsed in parallel, with no scan of the
/// whole text first.
///
/// Where runs start is guessed (``guessStarts(_:parts:)``): near evenly spaced offsets, the start of an object that
/// follows another and begins as the array's first element does (`},{"message":`, whitespace allowed around the
/// comma). A guess can be wrong (those bytes may be inside a string, or an object nested in an element), so each
/// run proves the next one's start: reading elements from its own start, it must arrive exactly there. The first
/// run starts at the array's first element, so when every run arrives where the next starts, every start was an
/// element's start, and the runs together read exactly the array's elements.
public enum JSONArrayRuns {
  /// The start of the array's first element, then up to `parts - 1` guessed element starts, increasing; `nil` when
  /// the text does not start (after whitespace) with `[`. There are no guesses when the first element is not an
  /// object with a key.
  public static func guessStarts(_ bytes: UnsafeRawBufferPointer, parts: Int) -> [Int]? {
    let b = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    var i = 0
    JSONScan.skipWhitespace(b, &i)
    guard i < b.count, b[i] == UInt8(ascii: "[") else { return nil }
    i += 1
    JSONScan.skipWhitespace(b, &i)
    var starts = [i]
    guard let opening = firstKey(b, at: i) else { return starts }
    let step = b.count / max(parts, 1)
    for k in 1..<max(parts, 1) {
      let from = max(step * k, starts[starts.count - 1] + 1)
      if let guess = find(opening, after: b, from: from, before: min(b.count, step * (k + 1))) {
        starts.append(guess)
      }
    }
    return starts
  }

  /// The bytes of an object's opening up to its first key's colon (`{"message":`), at `start`; `nil` when there is
  /// none in the first 64 bytes or the key has an escape.
  private static func firstKey(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> UnsafeBufferPointer<UInt8>? {
    guard start < b.count, b[start] == UInt8(ascii: "{") else { return nil }
    var i = start + 1
    JSONScan.skipWhitespace(b, &i)
    guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
    i += 1
    while i < min(b.count, start + 64), b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
    guard i < min(b.count, start + 64), b[i] == UInt8(ascii: "\"") else { return nil }
    i += 1
    JSONScan.skipWhitespace(b, &i)
    guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
    return UnsafeBufferPointer(rebasing: b[start...i])
  }

  /// The offset of `opening` where it follows `}` and `,` (whitespace allowed around the comma), the `}` in
  /// `from..<before`.
  private static func find(
    _ opening: UnsafeBufferPointer<UInt8>, after b: UnsafeBufferPointer<UInt8>, from: Int, before: Int
  ) -> Int? {
    var i = from
    while i < before {
      if b[i] == UInt8(ascii: "}") {
        var j = i + 1
        JSONScan.skipWhitespace(b, &j)
        if j < b.count, b[j] == UInt8(ascii: ",") {
          j += 1
          JSONScan.skipWhitespace(b, &j)
          if j + opening.count <= b.count,
            UnsafeBufferPointer(rebasing: b[j..<j + opening.count]).elementsEqual(opening)
          {
            return j
          }
        }
      }
      i += 1
    }
    return nil
  }

  /// Reads the array's elements one by one onto tapes, from an element's start on.
  public struct Reader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let numbers: JSONNumberStyle
    private let maxDepth: Int
    /// The start of the next element; `nil` once the array has ended (its `]` read, and nothing but whitespace
    /// after it) or when reading failed.
    public private(set) var position: Int?
    /// `true` when something read was not a valid element, separator or end of the array.
    public private(set) var failed = false

    /// A reader from the element that starts at `start` (the first element may be a `]`: the array is empty).
    ///
    /// `maxDepth` counts the array: an element may nest `maxDepth - 1` levels, as in the whole text's parse.
    public init(_ bytes: UnsafeRawBufferPointer, start: Int, numbers: JSONNumberStyle, maxDepth: Int = 1000) {
      self.bytes = UnsafeBufferPointer(
        start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
      self.numbers = numbers
      self.maxDepth = maxDepth
      if start < bytes.count, self.bytes[start] == UInt8(ascii: "]") {
        end(after: start)
      } else {
        position = start
      }
    }

    /// The element at ``position`` on a tape, moving to the next one; `nil` at the end or on failure (``failed``).
    public mutating func next() -> JSONTape? {
      guard let start = position,
        let (tape, end) = JSONTape.parseValue(bytes, at: start, numbers: numbers, maxDepth: maxDepth - 1)
      else { return fail() }
      var i = end
      JSONScan.skipWhitespace(bytes, &i)
      guard i < bytes.count else { return fail() }
      switch bytes[i] {
      case UInt8(ascii: ","):
        i += 1
        JSONScan.skipWhitespace(bytes, &i)
        position = i
      case UInt8(ascii: "]"):
        self.end(after: i)
      default:
        return fail()
      }
      return tape
    }

    /// After the array's `]` at `close`: only whitespace may follow.
    private mutating func end(after close: Int) {
      var i = close + 1
      JSONScan.skipWhitespace(bytes, &i)
      position = nil
      if i != bytes.count { failed = true }
    }

    private mutating func fail() -> JSONTape? {
      position = nil
      failed = true
      return nil
    }
  }
}
