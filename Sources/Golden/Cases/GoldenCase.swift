import JSON

/// One golden case: a request for a route, the response expected from it, and what may vary.
///
/// The schema is the upstream vectors schema (`description`, `route`, `input`, `expected: {status, body}`, optional
/// `mocks`) plus an optional `ignore` list of JSON Pointers. Every member of the file is kept in ``document``, so
/// runners can read route-specific members (e.g. `destination_http_mock` for delivery) and `--update` can rewrite
/// the file without losing anything.
public struct GoldenCase: Sendable {
  /// The case name: the file's path under the corpus folder without `.json`, or a vectors element's `name`.
  public var name: String
  /// The file the case was read from, as given on the command line (joined with the folder walked).
  public var file: String
  /// The element index when the case comes from a vectors file (a JSON array of cases); `nil` for a case file.
  public var index: Int?
  /// The whole case object as read.
  public var document: JSONObject
  /// The route the case calls.
  public var route: Route
  /// Pointers (RFC 6901, `*` for any array index) of volatile values: present with the same JSON type is enough.
  public var ignore: [JSONPointer]

  /// The human description, if any.
  public var description: String? { document["description"]?.stringValue }
  /// The request body sent to the route.
  public var input: JSONValue { document["input"] ?? .null }
  /// The expected response, `{status, body}`.
  public var expected: JSONValue { document["expected"] ?? .null }
  /// The `mocks` member, if any.
  public var mocks: JSONValue? { document["mocks"] }

  /// The Events 2.0 batch limit the case asks for through `mocks.config_override.maxBatchSizeV2`, if any.
  public var maxBatchSizeV2Override: Int? {
    mocks?["config_override"]?["maxBatchSizeV2"]?.int64Value.map { Int($0) }
  }

  /// The Events 1.0 batch limit the case asks for through `mocks.config_override.maxBatchSizeV1`, if any.
  public var maxBatchSizeV1Override: Int? {
    mocks?["config_override"]?["maxBatchSizeV1"]?.int64Value.map { Int($0) }
  }

  /// Where the case lives, for messages: `FILE` or `FILE[INDEX]` for a vectors element.
  public var location: String { index.map { "\(file)[\($0)]" } ?? file }

  /// A problem with the shape of a case object, at a JSON Pointer relative to the case.
  public struct SchemaProblem: Error, Equatable, Sendable {
    /// Where, relative to the case object.
    public var pointer: JSONPointer
    /// What was expected, a short lowercase fragment.
    public var message: String
    /// Whether the message is written after the pointer (`/expectd: unknown key …`), because the line and column
    /// alone do not say which member is meant.
    public var namesPointer = false
  }

  /// An ignore pattern names volatile scalars of `expected`: one that matches nothing (a typo, a stale pointer) or
  /// matches an object or array (everything under it would go unchecked, so a case could pass having checked
  /// nothing) is a schema problem.
  private static func checkIgnored(_ pattern: JSONPointer, in expected: JSONValue, at: JSONPointer)
    throws(SchemaProblem)
  {
    let values = JSONDiff.values(matching: pattern, in: expected)
    if values.isEmpty {
      throw SchemaProblem(pointer: at, message: "ignore pattern \"\(pattern)\" matches no value in \"expected\"")
    }
    if let container = values.first(where: { $0.objectValue != nil || $0.arrayValue != nil }) {
      throw SchemaProblem(
        pointer: at,
        message:
          "ignore pattern \"\(pattern)\" matches a whole \(container.typeName), which would leave everything in it unchecked; name the volatile values inside it instead"
      )
    }
  }

  /// Checks `value` against the case schema.
  /// - Throws: ``SchemaProblem`` naming the first member that is missing or has the wrong type.
  public init(name: String, file: String, index: Int?, value: JSONValue) throws(SchemaProblem) {
    guard case .object(let object) = value else {
      throw SchemaProblem(pointer: .root, message: "expected a case object, found \(value.typeName)")
    }
    for entry in object.entries where !Self.members.contains(entry.key) {
      throw SchemaProblem(
        pointer: Self.member(entry.key),
        message: "unknown key (expected one of \(Self.members.sorted().joined(separator: ", ")))", namesPointer: true)
    }
    guard let routeValue = object["route"] else {
      throw SchemaProblem(pointer: .root, message: "missing \"route\" (e.g. \"POST /v0/destinations/tiktok_ads\")")
    }
    guard let routeText = routeValue.stringValue else {
      throw SchemaProblem(
        pointer: Self.member("route"), message: "\"route\" must be a string, found \(routeValue.typeName)")
    }
    guard let route = Route(routeText) else {
      let known = Route.all.map { "\"\($0)\"" }.joined(separator: ", ")
      throw SchemaProblem(
        pointer: Self.member("route"), message: "unknown route \"\(routeText)\"; expected one of \(known)")
    }
    guard object["input"] != nil else { throw SchemaProblem(pointer: .root, message: "missing \"input\"") }
    guard let expected = object["expected"] else {
      throw SchemaProblem(pointer: .root, message: "missing \"expected\"")
    }
    guard case .object(let exp) = expected else {
      throw SchemaProblem(
        pointer: Self.member("expected"),
        message: "\"expected\" must be an object {status, body}, found \(expected.typeName)")
    }
    guard let status = exp["status"] else {
      throw SchemaProblem(pointer: Self.member("expected"), message: "missing \"status\" in \"expected\"")
    }
    guard status.int64Value != nil else {
      throw SchemaProblem(
        pointer: Self.member("expected").appending("status"),
        message: "\"status\" must be an integer HTTP status, found \(status.typeName)")
    }
    guard exp["body"] != nil else {
      throw SchemaProblem(pointer: Self.member("expected"), message: "missing \"body\" in \"expected\"")
    }
    for entry in exp.entries where entry.key != "status" && entry.key != "body" {
      throw SchemaProblem(
        pointer: Self.member("expected").appending(entry.key), message: "unknown key (expected status, body)",
        namesPointer: true)
    }
    if let description = object["description"], description.stringValue == nil {
      throw SchemaProblem(pointer: Self.member("description"), message: "\"description\" must be a string")
    }
    var ignore: [JSONPointer] = []
    if let list = object["ignore"] {
      guard case .array(let items) = list else {
        throw SchemaProblem(pointer: Self.member("ignore"), message: "\"ignore\" must be an array of JSON Pointers")
      }
      for (i, item) in items.enumerated() {
        let at = Self.member("ignore").appending(index: i)
        guard let text = item.stringValue else {
          throw SchemaProblem(pointer: at, message: "expected a JSON Pointer string, found \(item.typeName)")
        }
        let pattern: JSONPointer
        do {
          pattern = try JSONPointer(parsing: text)
        } catch {
          throw SchemaProblem(pointer: at, message: "not a JSON Pointer (RFC 6901): \(error)")
        }
        try Self.checkIgnored(pattern, in: expected, at: at)
        ignore.append(pattern)
      }
    }
    self.name = name
    self.file = file
    self.index = index
    self.document = object
    self.route = route
    self.ignore = ignore
  }

  /// A new case built in memory (by `record`); `expected` is `{status, body}`.
  public init(
    name: String, file: String, description: String, route: Route, input: JSONValue, expected: JSONValue,
    mocks: JSONValue? = nil, ignore: [JSONPointer] = []
  ) {
    var object = JSONObject()
    object["description"] = .string(description)
    object["route"] = .string(route.description)
    object["input"] = input
    object["expected"] = expected
    if let mocks { object["mocks"] = mocks }
    if !ignore.isEmpty { object["ignore"] = .array(ignore.map { .string($0.description) }) }
    self.name = name
    self.file = file
    self.index = nil
    self.document = object
    self.route = route
    self.ignore = ignore
  }

  private static func member(_ key: String) -> JSONPointer { JSONPointer.root.appending(key) }

  /// The members a case object may hold: this schema's, and the upstream vectors' own (`name`, `upstream`,
  /// `input_method`), which replay reads past.
  public static let members: Set<String> = [
    "name", "description", "route", "input", "expected", "mocks", "ignore", "destination_http_mock", "upstream",
    "input_method",
  ]
}
