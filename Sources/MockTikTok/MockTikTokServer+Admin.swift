import HTTP
import JSON

extension MockTikTokServer {
  /// The admin API under `/__admin/` (see MockServer/README.md).
  func admin(_ request: HTTPRequest) -> HTTPResponse {
    var path = request.path
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    switch (request.method, path) {
    case ("GET", "/__admin/health"):
      let s = engine.snapshot
      return json([
        "status": "ok", "port": .int(Int64(port)), "last_seq": .int(Int64(journal.lastSequence)),
        "rules": .int(Int64(s.rules.count)), "journal_limit": .int(Int64(journal.limit)),
      ])
    case ("GET", "/__admin/requests"):
      guard let filter = filter(request) else { return error(400, "bad query: since and limit take integers") }
      let entries = journal.entries(filter)
      var out = Array(#"{"count":"#.utf8)
      out.appendDecimal(entries.count)
      out.append(contentsOf: #","requests":["#.utf8)
      for (i, e) in entries.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: e.line)
      }
      out.append(contentsOf: "]}".utf8)
      return .json(200, out)
    case ("GET", "/__admin/requests/count"):
      guard let filter = filter(request) else { return error(400, "bad query: since and limit take integers") }
      return json(["count": .int(Int64(journal.entries(filter).count))])
    case ("DELETE", "/__admin/requests"):
      return json(["cleared": .int(Int64(journal.clear()))])
    case ("GET", "/__admin/rules"):
      return json(rulesDocument())
    case ("POST", "/__admin/rules"):
      do {
        let rules = try parseRules(request.body)
        let total = engine.add(rules)
        return json(["added": .int(Int64(rules.count)), "rules": .int(Int64(total))])
      } catch {
        return self.error(400, error.description)
      }
    case ("PUT", "/__admin/rules"):
      do {
        let scenario = try Scenario.parse(request.body, file: "<request>")
        engine.replace(scenario)
        return json(["rules": .int(Int64(scenario.rules.count)), "seed": .int(Int64(bitPattern: scenario.seed))])
      } catch {
        return self.error(400, error.description)
      }
    case ("DELETE", "/__admin/rules"):
      let n = engine.snapshot.rules.count
      clearRules()
      return json(["cleared": .int(Int64(n))])
    case ("POST", "/__admin/reset"):
      reset()
      return json(["reset": true, "rules": .int(Int64(engine.snapshot.rules.count))])
    case (_, "/__admin/health"), (_, "/__admin/requests"), (_, "/__admin/requests/count"), (_, "/__admin/rules"),
      (_, "/__admin/reset"):
      return error(405, "method \(request.method) not allowed on \(path)")
    default:
      return error(404, "no admin resource \(path)")
    }
  }

  /// `{"seed": S, "rules": [RULE + {"seen", "fired"}]}`.
  func rulesDocument() -> JSONValue {
    let s = engine.snapshot
    var rules: [JSONValue] = []
    for (i, rule) in s.rules.enumerated() {
      guard case .object(var o) = rule.jsonValue else { continue }
      o.set("seen", .int(Int64(s.seen[i])))
      o.set("fired", .int(Int64(s.fired[i])))
      rules.append(.object(o))
    }
    return ["seed": .int(Int64(bitPattern: s.seed)), "rules": .array(rules)]
  }

  /// One rule, an array of rules, or `{"rules": [...]}`.
  private func parseRules(_ body: [UInt8]) throws(ScenarioError) -> [FaultRule] {
    let value: JSONValue
    do {
      value = try JSONValue.parse(body)
    } catch {
      throw ScenarioError(file: "<request>", syntax: error)
    }
    if case .array(let items) = value {
      var out: [FaultRule] = []
      for (i, item) in items.enumerated() { out.append(try FaultRule.parse(item, file: "<request>", path: "/\(i)")) }
      return out
    }
    if value["rules"] != nil { return try Scenario.parse(value, file: "<request>").rules }
    return [try FaultRule.parse(value, file: "<request>", path: "")]
  }

  private func filter(_ request: HTTPRequest) -> JournalFilter? {
    var f = JournalFilter()
    f.path = request.queryValue("path")
    f.pixel = request.queryValue("pixel")
    f.event = request.queryValue("event")
    if let s = request.queryValue("since") {
      guard let n = Int(s) else { return nil }
      f.since = n
    }
    if let s = request.queryValue("limit") {
      guard let n = Int(s), n >= 0 else { return nil }
      f.limit = n
    }
    return f
  }

  private func json(_ value: JSONValue) -> HTTPResponse { .json(200, value.compactBytes()) }

  private func error(_ status: Int, _ message: String) -> HTTPResponse {
    .json(status, JSONValue.object(["error": .string(message)]).compactBytes())
  }
}
