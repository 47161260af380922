import JSON

/// Finds where a value sits in a JSON text, so schema problems can be reported as `FILE:LINE:COLUMN`.
///
/// The text is assumed to have parsed already; the scanner only skips tokens. When the pointer leads to a member
/// that does not exist, the position of the deepest existing container is returned.
enum JSONLocator {
  /// The 1-based line and column (UTF-8 bytes) of the value at `tokens` (reference tokens, unescaped).
  static func position(of tokens: [String], in bytes: [UInt8]) -> (line: Int, column: Int) {
    offset(of: tokens, in: bytes).map { lineColumn(at: $0, in: bytes) } ?? (1, 1)
  }

  /// The 1-based line and column of byte `offset`.
  static func lineColumn(at offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    var i = 0
    while i < min(offset, bytes.count) {
      if bytes[i] == 0x0A {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    return (line, offset - lineStart + 1)
  }

  /// The byte offset of the value at `tokens`, or of the deepest container found on the way.
  static func offset(of tokens: [String], in bytes: [UInt8]) -> Int? {
    var scanner = Scanner(bytes: bytes)
    scanner.skipSpace()
    var found = scanner.i
    for token in tokens {
      guard scanner.i < bytes.count else { return found }
      switch bytes[scanner.i] {
      case UInt8(ascii: "{"):
        guard let at = scanner.seekMember(token) else { return found }
        found = at
      case UInt8(ascii: "["):
        guard let n = Int(token), let at = scanner.seekElement(n) else { return found }
        found = at
      default:
        return found
      }
    }
    return found
  }

  private struct Scanner {
    let bytes: [UInt8]
    var i = 0

    mutating func skipSpace() {
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    /// Reads a string starting at `"`, returning its raw (still escaped) contents decoded for simple escapes.
    mutating func readString() -> String {
      i += 1
      var out: [UInt8] = []
      while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
        if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
          i += 1
          switch bytes[i] {
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "u"):
            let hex = bytes[min(i + 1, bytes.count)..<min(i + 5, bytes.count)]
            if let scalar = UInt32(String(decoding: hex, as: UTF8.self), radix: 16).flatMap(Unicode.Scalar.init) {
              out.append(contentsOf: Array(String(scalar).utf8))
            }
            i += 4
          default: out.append(bytes[i])
          }
        } else {
          out.append(bytes[i])
        }
        i += 1
      }
      i += 1
      return String(decoding: out, as: UTF8.self)
    }

    mutating func skipValue() {
      skipSpace()
      guard i < bytes.count else { return }
      switch bytes[i] {
      case UInt8(ascii: "\""): _ = readString()
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        var depth = 0
        while i < bytes.count {
          let b = bytes[i]
          if b == UInt8(ascii: "\"") {
            _ = readString()
            continue
          }
          if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
          if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
            depth -= 1
            if depth == 0 {
              i += 1
              return
            }
          }
          i += 1
        }
      default:
        while i < bytes.count,
          ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[i])
        {
          i += 1
        }
      }
    }

    /// At `{`: moves to the value of member `key` and returns the offset of the key; `nil` if absent.
    mutating func seekMember(_ key: String) -> Int? {
      i += 1
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        let keyStart = i
        let name = readString()
        skipSpace()
        i += 1  // ':'
        skipSpace()
        if name == key { return keyStart }
        skipValue()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
        i += 1
      }
    }

    /// At `[`: moves to element `n` and returns its offset; `nil` if out of range.
    mutating func seekElement(_ n: Int) -> Int? {
      i += 1
      var k = 0
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] != UInt8(ascii: "]") else { return nil }
        if k == n { return i }
        skipValue()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
        i += 1
        k += 1
      }
    }
  }
}
