import JSON

/// A value formatter of upstream's mapping files (spec §5, "Formatters used by the mappings").
enum Formatter: Sendable {
  /// `String(v)`.
  case toString
  /// `trim()`, strings only.
  case trim
  /// `String(v).toLowerCase()`: an array becomes a comma-joined string.
  case toLower
  /// SHA-256 of `String(v)` over the low byte of each UTF-16 unit (Q18); always applied.
  case hashToSha256
  /// Removes every space and `-` from strings.
  case removeSpacesAndDashes
  /// Unix seconds; a strict epoch-millisecond value is passed through unchanged (Q7).
  case secondTimestamp
  /// Uppercased, and kept only when in the list.
  case allowedKeyCheck([String])

  /// Applies the formatter; `nil` means the result is `undefined` or `NaN` and the field is not written.
  func apply(_ value: JSONValue) -> JSONValue? {
    switch self {
    case .toString:
      return .string(value.jsString)
    case .trim:
      if case .string(let s) = value { return .string(s.jsTrimmed) }
      return value
    case .toLower:
      return .string(value.jsString.jsLowercased)
    case .hashToSha256:
      return .string(UpstreamHash.utf16LowBytes(value.jsString))
    case .removeSpacesAndDashes:
      if case .string(let s) = value {
        return .string(String(s.unicodeScalars.filter { $0 != " " && $0 != "-" }.map(Character.init)))
      }
      return value
    case .secondTimestamp:
      // Q7: a strict Unix-millisecond value (moment's strict `x`: digits, string or number, within a Date's
      // range) is left unchanged, still in ms. Otherwise `Math.floor(new Date(value).getTime() / 1000)`; R10: a
      // boolean is the time value 0 or 1 and gives 0.
      if UpstreamDate.isStrictEpochMilliseconds(value.strictEpochText) { return value }
      guard let ms = UpstreamDate.epochMilliseconds(value) else { return nil }  // NaN: not written
      let seconds = (ms / 1000).rounded(.down)
      return Int64(exactly: seconds).map(JSONValue.int) ?? .double(seconds)
    case .allowedKeyCheck(let allowed):
      let upper = value.jsString.jsUppercased
      return allowed.contains(upper) ? .string(upper) : nil
    }
  }
}

extension JSONValue {
  /// `'' + value` as moment's strict parse sees it: an empty object or array counts as `undefined`.
  fileprivate var strictEpochText: String {
    switch self {
    case .object(let o) where o.isEmpty: return "undefined"
    case .array(let a) where a.isEmpty: return "undefined"
    default: return jsString
    }
  }
}

/// One row of a mapping table: where the value goes, where it may come from, how it is formatted.
struct FieldMapping: Sendable {
  let destination: FieldPath
  let sources: [FieldPath]
  let formatters: [Formatter]

  init(_ destination: String, _ sources: [String], _ formatters: [Formatter] = []) {
    self.destination = FieldPath(destination)
    self.sources = sources.map(FieldPath.init)
    self.formatters = formatters
  }
}

/// The generic source lists shared by RudderStack destinations (spec §5, "Generic lists").
enum GenericSources {
  static let timestamp = ["timestamp", "originalTimestamp"]
  static let traits = ["traits", "context.traits"]
  static let traitsPaths = traits.map(FieldPath.init)
  static let firstName = nameList("firstName", "firstname", "first_name")
  static let lastName = nameList("lastName", "lastname", "last_name")
  static let zipcode: [String] = {
    let seven = ["zip", "zipcode", "zip_code", "zipCode", "postalcode", "postal_code", "postalCode"]
    let addressFirst = ["zipcode", "zip_code", "zip", "zipCode", "postalcode", "postal_code", "postalCode"]
    return seven.map { "traits.\($0)" } + addressFirst.map { "traits.address.\($0)" }
      + seven.map { "context.traits.\($0)" } + seven.map { "context.traits.address.\($0)" }
  }()

  private static func nameList(_ a: String, _ b: String, _ c: String) -> [String] {
    [a, b, c].map { "traits.\($0)" } + [a, b, c].map { "context.traits.\($0)" }
  }
}

extension JSONValue {
  /// The first value at `paths` that is truthy, `0` or `false` (spec §5 source-key lookup).
  func firstPresent(_ paths: [FieldPath]) -> JSONValue? {
    for path in paths {
      if let v = value(at: path), v.isPresentForMapping { return v }
    }
    return nil
  }
}

/// A mapping table compiled for lookups: every source path of every row goes into one ``JSON/JSONPathTable``,
/// so each message is walked once (each object on the way once) however many rows read it.
struct CompiledMapping: Sendable {
  let rows: [FieldMapping]
  /// The source paths of all rows.
  let table: JSONPathTable
  /// The sources' slots in `table`, row after row, each row's in its order: row `i`'s are
  /// `sourceSlots[sourceStarts[i]..<sourceStarts[i + 1]]`.
  let sourceSlots: [Int]
  let sourceStarts: [Int]

  init(_ rows: [FieldMapping]) {
    self.rows = rows
    let table = JSONPathTable(rows.flatMap { $0.sources.map(\.components) })
    self.table = table
    sourceSlots = rows.flatMap { row in row.sources.map { table.index(of: $0.components) ?? 0 } }
    sourceStarts = rows.reduce(into: [0]) { starts, row in starts.append((starts.last ?? 0) + row.sources.count) }
  }

  /// Upstream's `constructPayload`: builds an object from `message` row by row, in mapping order.
  ///
  /// With a trace, each written field is recorded at `target` with its source path, its formatting steps and the
  /// rules they fired, and every source path consulted is recorded as read.
  func construct(_ message: JSONRef, trace: TransformTrace? = nil, target: Int? = nil, isV2: Bool = false)
    -> PayloadBuilder
  {
    var payload = PayloadBuilder(dropsNullMembers: true)
    guard message.isObject else { return payload }
    let values = table.resolve(from: message)
    // The rows are read in place (not copied out of the array, with their reference counts, one by one).
    rows.withUnsafeBufferPointer { rows in
      for i in rows.indices {
        // The first value that is truthy, 0 or false wins (spec §5).
        var found: JSONRef?
        var foundAt = 0
        for k in sourceStarts[i]..<sourceStarts[i + 1] {
          guard let v = values[sourceSlots[k]] else { continue }
          trace?.read(TransformTrace.messagePath(rows[i].sources[k - sourceStarts[i]]))
          if v.isPresentForMapping {
            found = v
            foundAt = k - sourceStarts[i]
            break
          }
        }
        guard let found else { continue }
        payload.write(found, row: rows[i], foundAt: foundAt, trace: trace, target: target, isV2: isV2)
      }
    }
    return payload
  }
}

extension PayloadBuilder {
  /// Formats a mapping row's found value and sets it at the row's destination (spec §5): a formatter may drop it,
  /// and only truthy, 0 or false results are written.
  fileprivate mutating func write(
    _ found: JSONRef, row: FieldMapping, foundAt: Int, trace: TransformTrace?, target: Int?, isV2: Bool
  ) {
    if row.formatters.isEmpty {
      // Copied as it is (found truthy, 0 or false): it stays on the message's tape.
      set(found, at: row.destination)
      recordLineage(row: row, foundAt: foundAt, steps: [], rules: [], trace: trace, target: target, isV2: isV2)
      return
    }
    var value = found.value
    var written = true
    var steps: [String] = []
    var rules: [SpecRule] = []
    for f in row.formatters {
      let next = f.apply(value)
      if let trace {
        if trace.recordsLineage { steps.append(f.stepName) }
        rules += f.rules(input: value, output: next)
      }
      guard let next else {
        written = false
        break
      }
      value = next
    }
    // After formatting, only truthy, 0 or false values are written; "" and NaN never are.
    guard written && value.isPresentForMapping else { return }
    set(value, at: row.destination)
    recordLineage(row: row, foundAt: foundAt, steps: steps, rules: rules, trace: trace, target: target, isV2: isV2)
  }

  /// The lineage of a written mapping row.
  private func recordLineage(
    row: FieldMapping, foundAt: Int, steps: [String], rules: [SpecRule], trace: TransformTrace?, target: Int?,
    isV2: Bool
  ) {
    guard let trace else { return }
    let source = row.sources[foundAt]
    trace.field(
      .init(target: target, path: row.destination.components), from: .input(TransformTrace.messagePath(source)),
      steps: steps, rules: rules)
    trace.hit(.field(isV2, row.destination.description, source.description))
  }
}
