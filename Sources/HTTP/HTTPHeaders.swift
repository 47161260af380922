/// An ordered list of header fields; lookups ignore ASCII case, as HTTP field names do.
public struct HTTPHeaders: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
  /// One header field as it appeared on the wire (name case preserved).
  public struct Field: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The fields in order.
  public var fields: [Field]

  public init() { fields = [] }
  public init(_ pairs: [(String, String)]) { fields = pairs.map { Field(name: $0.0, value: $0.1) } }
  public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

  public var startIndex: Int { 0 }
  public var endIndex: Int { fields.count }
  public subscript(position: Int) -> Field { fields[position] }

  /// The first value of `name` (case-insensitive), or `nil`.
  public subscript(name: String) -> String? {
    for f in fields where asciiCaseInsensitiveEqual(f.name, name) { return f.value }
    return nil
  }

  /// Every value of `name`, in order.
  public func values(for name: String) -> [String] {
    var values: [String] = []
    for f in fields where asciiCaseInsensitiveEqual(f.name, name) { values.append(f.value) }
    return values
  }

  /// `true` when a field named `name` is present.
  public func contains(_ name: String) -> Bool { self[name] != nil }

  /// Appends a field (keeps earlier fields of the same name).
  public mutating func add(_ name: String, _ value: String) { fields.append(Field(name: name, value: value)) }

  /// Replaces every field named `name` by one with `value`.
  public mutating func set(_ name: String, _ value: String) {
    remove(name)
    add(name, value)
  }

  /// Removes every field named `name`.
  public mutating func remove(_ name: String) { fields.removeAll { asciiCaseInsensitiveEqual($0.name, name) } }
}

/// ASCII case-insensitive equality of two strings (HTTP tokens).
@inlinable
public func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
  var a = a
  var b = b
  return a.withUTF8 { x in
    b.withUTF8 { y in
      guard x.count == y.count else { return false }
      for i in 0..<x.count where x[i] != y[i] {
        let p = x[i] | 0x20
        let q = y[i] | 0x20
        if p != q || p < 0x61 || p > 0x7A { return false }
      }
      return true
    }
  }
}

/// `true` when the comma-separated header `value` lists `token` (case-insensitive), e.g. `Connection: close`.
public func headerListContains(_ value: String, _ token: String) -> Bool {
  value.split(separator: ",").contains { asciiCaseInsensitiveEqual($0.trimmingASCIIWhitespace(), token) }
}

extension Substring {
  func trimmingASCIIWhitespace() -> String {
    var s = self[...]
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}
