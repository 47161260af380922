import JSON

/// A strict RFC 8259 syntax check that allocates nothing but a small container stack.
///
/// Kept as an independent oracle: the fuzz target `fuzz-mock` checks it against `JSONValue.parse`. (It guarded every
/// request while the parser was being rewritten; ``parse(_:)`` no longer runs it.)
public enum JSONSyntax {
  /// The byte offset of the first error and a short reason, or `nil` when `bytes` is one valid JSON text.
  public static func firstError(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 1000) -> (offset: Int, reason: String)? {
    var i = 0
    let n = bytes.count
    var stack: [Bool] = []  // true: object
    stack.reserveCapacity(16)

    func ws() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }

    func string() -> Bool {
      // at opening quote
      i += 1
      while i < n {
        // Fast path: plain ASCII.
        while i < n, bytes[i] >= 0x20, bytes[i] < 0x80, bytes[i] != 0x22, bytes[i] != 0x5C { i += 1 }
        guard i < n else { return false }
        let b = bytes[i]
        if b == 0x22 {
          i += 1
          return true
        }
        if b < 0x20 { return false }
        if b == 0x5C {
          i += 1
          guard i < n else { return false }
          switch bytes[i] {
          case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
          case 0x75:
            guard i + 4 < n else { return false }
            for j in 1...4 {
              let h = bytes[i + j]
              guard (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66) else { return false }
            }
            i += 5
          default: return false
          }
          continue
        }
        if b < 0x80 {
          i += 1
          continue
        }
        // UTF-8 multi-byte sequence
        func cont(_ j: Int) -> Bool { j < n && bytes[j] & 0xC0 == 0x80 }
        switch b {
        case 0xC2...0xDF where cont(i + 1): i += 2
        case 0xE0 where i + 1 < n && bytes[i + 1] >= 0xA0 && bytes[i + 1] <= 0xBF && cont(i + 2): i += 3
        case 0xED where i + 1 < n && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F && cont(i + 2): i += 3
        // One pattern per case: a `where` clause guards only the last pattern of a case (found by fuzzing: E1–EC
        // lead bytes skipped their continuation check).
        case 0xE1...0xEC where cont(i + 1) && cont(i + 2): i += 3
        case 0xEE...0xEF where cont(i + 1) && cont(i + 2): i += 3
        case 0xF0 where i + 1 < n && bytes[i + 1] >= 0x90 && bytes[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3): i += 4
        case 0xF1...0xF3 where cont(i + 1) && cont(i + 2) && cont(i + 3): i += 4
        case 0xF4 where i + 1 < n && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3): i += 4
        default: return false
        }
      }
      return false
    }

    func digits() -> Int {
      let s = i
      while i < n, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
      return i - s
    }

    func number() -> Bool {
      if bytes[i] == 0x2D { i += 1 }
      guard i < n else { return false }
      if bytes[i] == 0x30 {
        i += 1
      } else if digits() == 0 {
        return false
      }
      if i < n, bytes[i] == 0x2E {
        i += 1
        if digits() == 0 { return false }
      }
      if i < n, bytes[i] == 0x65 || bytes[i] == 0x45 {
        i += 1
        if i < n, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
        if digits() == 0 { return false }
      }
      return true
    }

    func literal(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard i + count <= n else { return false }
      let p = word.utf8Start
      for j in 0..<count where bytes[i + j] != p[j] { return false }
      i += count
      return true
    }

    // Iterative: after a value, close containers or expect a separator.
    ws()
    valueLoop: while true {
      ws()
      guard i < n else { return (i, "unexpected end of input, expected a value") }
      switch bytes[i] {
      case 0x7B:  // {
        guard stack.count < maxDepth else { return (i, "nesting too deep") }
        i += 1
        ws()
        if i < n, bytes[i] == 0x7D {
          i += 1
        } else {
          stack.append(true)
          guard i < n, bytes[i] == 0x22, string() else { return (i, "expected a string key") }
          ws()
          guard i < n, bytes[i] == 0x3A else { return (i, "expected ':'") }
          i += 1
          continue valueLoop
        }
      case 0x5B:  // [
        guard stack.count < maxDepth else { return (i, "nesting too deep") }
        i += 1
        ws()
        if i < n, bytes[i] == 0x5D {
          i += 1
        } else {
          stack.append(false)
          continue valueLoop
        }
      case 0x22:
        guard string() else { return (i, "invalid string") }
      case 0x2D, 0x30...0x39:
        guard number() else { return (i, "invalid number") }
      case 0x74:
        guard literal("true") else { return (i, "invalid literal") }
      case 0x66:
        guard literal("false") else { return (i, "invalid literal") }
      case 0x6E:
        guard literal("null") else { return (i, "invalid literal") }
      default:
        return (i, "unexpected byte, expected a value")
      }
      // A value ended: close containers or continue with the next element.
      while true {
        ws()
        guard let isObject = stack.last else {
          return i == n ? nil : (i, "unexpected data after the JSON value")
        }
        guard i < n else { return (i, "unexpected end of input") }
        if bytes[i] == 0x2C {
          i += 1
          if isObject {
            ws()
            guard i < n, bytes[i] == 0x22, string() else { return (i, "expected a string key") }
            ws()
            guard i < n, bytes[i] == 0x3A else { return (i, "expected ':'") }
            i += 1
          }
          continue valueLoop
        }
        if bytes[i] == (isObject ? 0x7D : 0x5D) {
          i += 1
          stack.removeLast()
          continue
        }
        return (i, isObject ? "expected ',' or '}'" : "expected ',' or ']'")
      }
    }
  }

  /// `true` when `bytes` is one well-formed JSON text.
  public static func isValid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer { firstError($0) } == nil }

  /// Parses `bytes` with `JSONValue.parse`, reporting errors with their line and column.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    // The parser itself is now fuzzed and trusted (RELIABILITY.md), so the separate syntax pass that guarded it
    // while it was being rewritten is no longer run on every request.
    do {
      return try JSONValue.parse(bytes)
    } catch {
      throw JSONSyntaxError(offset: error.offset, reason: error.message, bytes: bytes)
    }
  }
}

/// Malformed JSON: where and why.
public struct JSONSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
  public var offset: Int
  public var reason: String
  public var line = 1
  public var column = 1

  init(offset: Int, reason: String, bytes: [UInt8]) {
    self.offset = offset
    self.reason = reason
    for b in bytes.prefix(offset) {
      if b == 10 {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
  }

  public var description: String { "\(line):\(column): \(reason)" }
}
