import JSON

/// A scenario or rule document that does not follow the format; `path` is a JSON Pointer.
public struct ScenarioError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file, or `<request>` for the admin API.
  public var file: String
  /// Where in the document, e.g. `/rules/0/action/status`.
  public var path: String
  /// What was expected.
  public var message: String
  /// For text that is not JSON: the 1-based line and column of the error (then `path` is empty).
  public var line: Int?
  public var column: Int?

  public init(file: String, path: String, message: String) {
    self.file = file
    self.path = path
    self.message = message
  }

  /// Malformed JSON text, reported like every other file error of the CLI: `FILE:LINE:COLUMN: reason`.
  public init(file: String, syntax: JSONParseError) {
    self.init(file: file, path: "", message: syntax.message)
    line = syntax.line
    column = syntax.column
  }

  public var description: String {
    if let line, let column { return "\(file):\(line):\(column): \(message)" }
    return "\(file): \(path.isEmpty ? "/" : path): \(message)"
  }
}

extension Scenario {
  /// Parses a scenario document: `{"seed"?: N, "description"?: "...", "rules": [RULE, ...]}`.
  public static func parse(_ bytes: [UInt8], file: String) throws(ScenarioError) -> Scenario {
    let value: JSONValue
    do {
      value = try JSONValue.parse(bytes)
    } catch {
      throw ScenarioError(file: file, syntax: error)
    }
    return try parse(value, file: file)
  }

  /// Parses a scenario from a JSON value.
  public static func parse(_ value: JSONValue, file: String) throws(ScenarioError) -> Scenario {
    let d = Decoder(file: file)
    let object = try d.object(value, "")
    try d.onlyKeys(object, ["seed", "description", "rules", "$schema"], "")
    var scenario = Scenario()
    if let seed = object["seed"] { scenario.seed = UInt64(bitPattern: Int64(try d.int(seed, "/seed"))) }
    if let text = object["description"] { scenario.description = try d.string(text, "/description") }
    guard let rules = object["rules"] else { throw ScenarioError(file: file, path: "/rules", message: "missing") }
    guard case .array(let items) = rules else {
      throw ScenarioError(file: file, path: "/rules", message: "expected an array of rules")
    }
    for (i, item) in items.enumerated() {
      scenario.rules.append(try FaultRule.parse(item, file: file, path: "/rules/\(i)"))
    }
    return scenario
  }
}

extension FaultRule {
  /// Parses one rule: `{"name", "match"?: {...}, "action": {...}, "times"?: N}`.
  public static func parse(_ value: JSONValue, file: String, path: String) throws(ScenarioError) -> FaultRule {
    let d = Decoder(file: file)
    let o = try d.object(value, path)
    try d.onlyKeys(o, ["name", "match", "action", "times", "description"], path)
    guard let nameValue = o["name"] else { throw ScenarioError(file: file, path: path + "/name", message: "missing") }
    let name = try d.string(nameValue, path + "/name")
    var match = FaultMatch()
    if let m = o["match"] {
      let mp = path + "/match"
      let mo = try d.object(m, mp)
      try d.onlyKeys(mo, ["endpoint", "pixel", "event", "header", "nth", "every", "first", "probability"], mp)
      if let v = mo["endpoint"] {
        let list = try d.strings(v, mp + "/endpoint")
        for (i, e) in list.enumerated() where !TikTokEndpoint.isValidPattern(e) {
          throw ScenarioError(
            file: file, path: mp + "/endpoint" + (v.arrayValue == nil ? "" : "/\(i)"),
            message: "unknown endpoint '\(e)' (pixel/track, pixel/batch, event/track, v1.3/..., a path or *)")
        }
        match.endpoints = list
      }
      if let v = mo["pixel"] { match.pixels = try d.strings(v, mp + "/pixel") }
      if let v = mo["event"] { match.events = try d.strings(v, mp + "/event") }
      if let v = mo["header"] {
        let ho = try d.object(v, mp + "/header")
        var headers: [String: String] = [:]
        for entry in ho { headers[entry.key] = try d.string(entry.value, mp + "/header/" + escape(entry.key)) }
        match.headers = headers
      }
      if let v = mo["nth"] { match.nth = try d.int(v, mp + "/nth", min: 1) }
      if let v = mo["every"] { match.every = try d.int(v, mp + "/every", min: 1) }
      if let v = mo["first"] { match.first = try d.int(v, mp + "/first", min: 1) }
      if let v = mo["probability"] {
        guard let p = v.doubleValue, p >= 0, p <= 1 else {
          throw ScenarioError(file: file, path: mp + "/probability", message: "expected a number from 0 to 1")
        }
        match.probability = p
      }
    }
    guard let actionValue = o["action"] else {
      throw ScenarioError(file: file, path: path + "/action", message: "missing")
    }
    let ap = path + "/action"
    let ao = try d.object(actionValue, ap)
    try d.onlyKeys(
      ao, ["code", "message", "data", "status", "body", "headers", "delay_ms", "fault", "bytes"], ap)
    var action = FaultAction()
    if let v = ao["code"] { action.code = try d.int(v, ap + "/code", min: 0) }
    if let v = ao["message"] { action.message = try d.string(v, ap + "/message") }
    if let v = ao["data"] { action.data = v }
    if let v = ao["status"] { action.status = try d.int(v, ap + "/status", min: 100, max: 599) }
    if let v = ao["body"] { action.body = try d.string(v, ap + "/body") }
    if let v = ao["headers"] {
      for entry in try d.object(v, ap + "/headers") {
        action.headers[entry.key] = try d.string(entry.value, ap + "/headers/" + escape(entry.key))
      }
    }
    if let v = ao["delay_ms"] { action.delayMilliseconds = try d.int(v, ap + "/delay_ms", min: 0, max: 600_000) }
    if let v = ao["fault"] {
      let text = try d.string(v, ap + "/fault")
      guard let t = FaultAction.Transport(rawValue: text) else {
        throw ScenarioError(
          file: file, path: ap + "/fault",
          message: "unknown fault '\(text)' (\(FaultAction.Transport.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      action.transport = t
    }
    if let v = ao["bytes"] { action.partialBytes = try d.int(v, ap + "/bytes", min: 0) }
    if ao.isEmpty { throw ScenarioError(file: file, path: ap, message: "empty action") }
    var rule = FaultRule(name: name, match: match, action: action)
    if let v = o["times"] { rule.times = try d.int(v, path + "/times", min: 1) }
    return rule
  }

  /// The rule as JSON, in the scenario format.
  public var jsonValue: JSONValue {
    var m = JSONObject()
    if let e = match.endpoints { m.set("endpoint", .array(e.map { .string($0) })) }
    if let p = match.pixels { m.set("pixel", .array(p.map { .string($0) })) }
    if let e = match.events { m.set("event", .array(e.map { .string($0) })) }
    if let h = match.headers {
      m.set("header", .object(JSONObject(h.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })))
    }
    if let n = match.nth { m.set("nth", .int(Int64(n))) }
    if let n = match.every { m.set("every", .int(Int64(n))) }
    if let n = match.first { m.set("first", .int(Int64(n))) }
    if let p = match.probability { m.set("probability", .double(p)) }
    var a = JSONObject()
    if let c = action.code { a.set("code", .int(Int64(c))) }
    if let s = action.message { a.set("message", .string(s)) }
    if let d = action.data { a.set("data", d) }
    if let s = action.status { a.set("status", .int(Int64(s))) }
    if let b = action.body { a.set("body", .string(b)) }
    if !action.headers.isEmpty {
      a.set(
        "headers",
        .object(JSONObject(action.headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })))
    }
    if action.delayMilliseconds > 0 { a.set("delay_ms", .int(Int64(action.delayMilliseconds))) }
    if let t = action.transport { a.set("fault", .string(t.rawValue)) }
    if let b = action.partialBytes { a.set("bytes", .int(Int64(b))) }
    var o = JSONObject()
    o.set("name", .string(name))
    o.set("match", .object(m))
    o.set("action", .object(a))
    if let t = times { o.set("times", .int(Int64(t))) }
    return .object(o)
  }
}

private func escape(_ key: String) -> String {
  key.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
}

extension String {
  fileprivate func replacingOccurrences(_ a: String, _ b: String) -> String {
    split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
  }
}

/// Typed accessors that name the JSON Pointer of what is wrong.
private struct Decoder {
  let file: String

  func fail(_ path: String, _ message: String) -> ScenarioError {
    ScenarioError(file: file, path: path, message: message)
  }

  func object(_ v: JSONValue, _ path: String) throws(ScenarioError) -> JSONObject {
    guard case .object(let o) = v else { throw fail(path, "expected an object, found \(v.typeName)") }
    return o
  }

  func string(_ v: JSONValue, _ path: String) throws(ScenarioError) -> String {
    guard case .string(let s) = v else { throw fail(path, "expected a string, found \(v.typeName)") }
    return s
  }

  func strings(_ v: JSONValue, _ path: String) throws(ScenarioError) -> [String] {
    if case .string(let s) = v { return [s] }
    guard case .array(let items) = v else { throw fail(path, "expected a string or an array of strings") }
    var out: [String] = []
    for (i, item) in items.enumerated() { out.append(try string(item, path + "/\(i)")) }
    return out
  }

  func int(_ v: JSONValue, _ path: String, min: Int = Int.min, max: Int = Int.max) throws(ScenarioError) -> Int {
    guard case .int(let n) = v else { throw fail(path, "expected an integer, found \(v.typeName)") }
    guard n >= min && n <= max else {
      throw fail(path, max == Int.max ? "expected an integer ≥ \(min)" : "expected an integer from \(min) to \(max)")
    }
    return Int(n)
  }

  func onlyKeys(_ o: JSONObject, _ allowed: Set<String>, _ path: String) throws(ScenarioError) {
    for entry in o where !allowed.contains(entry.key) {
      throw fail(
        path + "/" + escape(entry.key), "unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
    }
  }
}
