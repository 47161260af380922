import JSON

/// A strict RFC 8259 syntax check that allocates nothing but a small container stack.
///
/// Kept as an independent oracle: the fuzz target `fuzz-mock` checks it against `JSONValue.parse`. (It guarded every
/// request while the parser was being rewritten; ``parse(_:)`` no longer runs it.) Its token scanners
/// (``JSONScan``) are the ones the hot path's ``QuickContractCheck`` runs on every request, so that agreement also
/// covers the hot path's notion of valid JSON.
public enum JSONSyntax {
  /// The byte offset of the first error and a short reason, or `nil` when `bytes` is one valid JSON text.
  public static func firstError(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 1000) -> (
    offset: Int, reason: String
  )? {
    var i = 0
    let n = bytes.count
    var stack: [Bool] = []  // true: object
    stack.reserveCapacity(16)

    func ws() { JSONScan.skipWhitespace(bytes, &i) }
    func string() -> Bool {
      var escaped = false
      return JSONScan.string(bytes, &i, escaped: &escaped)
    }
    func number() -> Bool {
      var integer = false
      return JSONScan.number(bytes, &i, integer: &integer)
    }
    func literal(_ word: StaticString) -> Bool { JSONScan.literal(bytes, &i, word) }

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
