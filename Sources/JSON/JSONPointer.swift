/// An RFC 6901 JSON Pointer: `""` is the whole document, `/a/0` is member `a`, then element 0.
///
/// In the text form `~` is written `~0` and `/` is written `~1`; ``tokens`` hold the unescaped reference tokens.
/// Pointers order token by token: decimal array indices numerically (`/a/2` before `/a/10`) and before names,
/// names by UTF-8 bytes, and a pointer before the pointers below it.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Comparable {
  /// A reference token, classified: an array index (decimal, no leading zeros) or an object member name.
  ///
  /// A pointer alone cannot tell `/0` in an object from `/0` in an array, so `"0"` classifies as `.index(0)`;
  /// lookups fall back to the member name `"0"` in objects.
  public enum Token: Sendable, Hashable {
    /// An object member name.
    case key(String)
    /// An array index.
    case index(Int)

    /// Classifies the raw token `raw`.
    public init(_ raw: String) {
      if let i = JSONPointer.arrayIndex(raw) { self = .index(i) } else { self = .key(raw) }
    }

    /// The raw (unescaped) token text.
    public var raw: String {
      switch self {
      case .key(let k): return k
      case .index(let i): return String(i)
      }
    }
  }

  /// The raw (unescaped) reference tokens; empty for the whole document.
  public var tokens: [String]

  /// A pointer from raw (unescaped) reference tokens.
  public init(tokens: [String]) {
    self.tokens = tokens
  }

  /// Parses the text form: `""`, or `/`-separated tokens with `~0` for `~` and `~1` for `/`.
  /// - Throws: ``JSONPointerError`` when the text does not start with `/` (and is not empty), or has a `~` not
  ///   followed by `0` or `1`.
  public init(parsing text: String) throws(JSONPointerError) {
    tokens = []
    guard !text.isEmpty else { return }
    let utf8 = Array(text.utf8)
    guard utf8[0] == Byte.slash else { throw JSONPointerError(text: text, offset: 0, message: "must start with '/'") }
    var token: [UInt8] = []
    var i = 1
    while i <= utf8.count {
      if i == utf8.count || utf8[i] == Byte.slash {
        tokens.append(String(decoding: token, as: UTF8.self))
        token.removeAll(keepingCapacity: true)
      } else if utf8[i] == 0x7E {  // ~
        guard i + 1 < utf8.count, utf8[i + 1] == Byte.zero || utf8[i + 1] == Byte.zero + 1 else {
          throw JSONPointerError(text: text, offset: i, message: "'~' must be followed by '0' or '1'")
        }
        token.append(utf8[i + 1] == Byte.zero ? 0x7E : Byte.slash)
        i += 1
      } else {
        token.append(utf8[i])
      }
      i += 1
    }
  }

  /// The pointer to the whole document (`""`).
  public static let root = JSONPointer(tokens: [])

  /// This pointer extended by the member name `key`.
  public func appending(_ key: String) -> JSONPointer {
    JSONPointer(tokens: tokens + [key])
  }

  /// This pointer extended by the array index `index`.
  public func appending(index: Int) -> JSONPointer {
    JSONPointer(tokens: tokens + [String(index)])
  }

  /// This pointer extended by `token`.
  public func appending(_ token: Token) -> JSONPointer {
    JSONPointer(tokens: tokens + [token.raw])
  }

  /// The tokens, classified as array indices or member names.
  public var classifiedTokens: [Token] { tokens.map(Token.init) }

  /// The parent pointer, or `nil` for the root.
  public var parent: JSONPointer? {
    tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
  }

  /// The escaped text form, e.g. `/body/0/output/body/JSON/context/user/email`; `""` for the root.
  public var description: String {
    var out = ""
    for token in tokens {
      out += "/"
      if token.utf8.contains(0x7E) || token.utf8.contains(Byte.slash) {
        out += token.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
      } else {
        out += token
      }
    }
    return out
  }

  /// Whether `concrete` is matched by this pattern: the same number of tokens, each equal, except that a `*` token
  /// here matches any array index (a decimal token) in `concrete`. Used for `ignore` patterns.
  public func matches(_ concrete: JSONPointer) -> Bool {
    guard tokens.count == concrete.tokens.count else { return false }
    for (pattern, token) in zip(tokens, concrete.tokens) where pattern != token {
      guard pattern == "*", Self.arrayIndex(token) != nil else { return false }
    }
    return true
  }

  /// Token-by-token order; see the type's documentation.
  public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
    for (a, b) in zip(lhs.tokens, rhs.tokens) where a != b {
      switch (arrayIndex(a), arrayIndex(b)) {
      case (let i?, let j?): return i < j
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8)
      }
    }
    return lhs.tokens.count < rhs.tokens.count
  }

  /// The array index `token` denotes (`0` or decimal digits without a leading zero, within `Int`), if any.
  static func arrayIndex(_ token: String) -> Int? {
    let utf8 = token.utf8
    guard let first = utf8.first, first >= Byte.zero, first <= Byte.nine else { return nil }
    if first == Byte.zero { return utf8.count == 1 ? 0 : nil }
    guard utf8.allSatisfy({ $0 >= Byte.zero && $0 <= Byte.nine }) else { return nil }
    return Int(token)
  }
}

extension String {
  /// `self` with every occurrence of `target` replaced (no Foundation needed).
  fileprivate func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
    var out = ""
    for c in unicodeScalars {
      if c == target { out += replacement } else { out.unicodeScalars.append(c) }
    }
    return out
  }
}
