#if canImport(Glibc)
  import Glibc
#endif

/// A JSON object: string keys in insertion order, each key at most once.
///
/// Lookups scan the entries (JSON objects in events are small, and a scan beats hashing there); past
/// ``JSONObject/indexThreshold`` entries a key index is kept so that large or hostile objects stay linear to build.
/// Setting an existing key replaces its value in place and keeps its position, like a JavaScript object.
public struct JSONObject: Sendable, RandomAccessCollection {
  /// One member of an object.
  public struct Entry: Sendable {
    /// The member name.
    public var key: String
    /// The member value.
    public var value: JSONValue

    /// Creates a member.
    @inlinable public init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  /// Entry count above which a key index is maintained.
  public static let indexThreshold = 24

  /// The members, in order.
  public private(set) var entries: [Entry]
  private var index: [ExactKey: Int]?

  /// An empty object.
  public init() {
    entries = []
    index = nil
  }

  /// An object with `capacity` reserved.
  public init(minimumCapacity capacity: Int) {
    entries = []
    entries.reserveCapacity(capacity)
    index = nil
  }

  /// An object from entries whose keys are known to be distinct (the parser checks).
  init(uniqueEntries: [Entry]) {
    entries = uniqueEntries
    index = nil
    if entries.count > Self.indexThreshold { rebuildIndex() }
  }

  /// An object from ordered key/value pairs; a repeated key keeps its first position and its last value.
  public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
    self.init()
    for (k, v) in pairs { self[k] = v }
  }

  // MARK: Collection

  public var startIndex: Int { 0 }
  public var endIndex: Int { entries.count }
  public subscript(position: Int) -> Entry { entries[position] }

  /// The member names, in order.
  public var keys: [String] { entries.map(\.key) }

  // MARK: Access by key

  /// The position of `key`, if present.
  @inlinable public func position(of key: String) -> Int? {
    if let index = _index { return index[ExactKey(key)] }
    return _linearPosition(of: key)
  }

  @usableFromInline var _index: [ExactKey: Int]? { index }

  @usableFromInline func _linearPosition(of key: String) -> Int? {
    let count = key.utf8.count
    var i = 0
    let n = entries.count
    while i < n {
      // Lengths first: most misses differ there, and String's own `==` is slow on mismatches.
      if entries[i].key.utf8.count == count && Self.keysEqual(entries[i].key, key) { return i }
      i += 1
    }
    return nil
  }

  /// The value for `key`; setting `nil` removes the member, setting a value replaces it in place or appends it.
  @inlinable public subscript(key: String) -> JSONValue? {
    get {
      guard let i = position(of: key) else { return nil }
      return entries[i].value
    }
    set {
      if let newValue {
        set(key, newValue)
      } else {
        removeValue(forKey: key)
      }
    }
  }

  /// Sets `value` for `key`: replaced in place when present, appended otherwise.
  public mutating func set(_ key: String, _ value: JSONValue) {
    if let i = position(of: key) {
      entries[i].value = value
      return
    }
    appendUnchecked(key, value)
  }

  /// Calls `body` with the value of `key` in place, without copying the object's storage; `nil` when `key` is absent.
  public mutating func modifyValue<R, E: Error>(
    forKey key: String, _ body: (inout JSONValue) throws(E) -> R
  ) throws(E) -> R? {
    guard let i = position(of: key) else { return nil }
    return try body(&entries[i].value)
  }

  /// Appends a member without looking for an existing one; the caller guarantees `key` is new.
  public mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
    entries.append(Entry(key: key, value: value))
    if index != nil {
      index?[ExactKey(key)] = entries.count - 1
    } else if entries.count > Self.indexThreshold {
      rebuildIndex()
    }
  }

  /// Removes the member `key` and returns its value, if present.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSONValue? {
    guard let i = position(of: key) else { return nil }
    let old = entries.remove(at: i).value
    if index != nil { rebuildIndex() }
    return old
  }

  /// Returns the members sorted by key in UTF-8 byte order (the canonical order).
  public func sortedByKey() -> [Entry] {
    entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
  }

  private mutating func rebuildIndex() {
    guard entries.count > Self.indexThreshold else {
      index = nil
      return
    }
    var idx = [ExactKey: Int](minimumCapacity: entries.count)
    for (i, e) in entries.enumerated() { idx[ExactKey(e.key)] = i }
    index = idx
  }
}

extension JSONObject: Equatable {
  /// Same keys with equal values, in any order.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    for e in lhs.entries {
      guard let other = rhs[e.key], other == e.value else { return false }
    }
    return true
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements)
  }
}

extension JSONObject {
  /// JSON key equality: the same Unicode code points, byte for byte (JavaScript compares code units), unlike Swift's
  /// `String ==`, which treats canonically equivalent strings (`"é"` and `"e\u{301}"`) as equal.
  @inlinable static func keysEqual(_ a: String, _ b: String) -> Bool {
    let contiguous = a.utf8.withContiguousStorageIfAvailable { pa in
      b.utf8.withContiguousStorageIfAvailable { pb in
        pa.count == pb.count && (pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0)
      }
    }
    if let contiguous, let equal = contiguous { return equal }
    return a.utf8.elementsEqual(b.utf8)
  }

  /// A key hashed and compared by its UTF-8 bytes, for the index of large objects.
  @usableFromInline struct ExactKey: Hashable, Sendable {
    @usableFromInline let key: String

    @inlinable init(_ key: String) { self.key = key }

    @inlinable static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { JSONObject.keysEqual(lhs.key, rhs.key) }

    @inlinable func hash(into hasher: inout Hasher) {
      var key = key
      key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
  }
}
