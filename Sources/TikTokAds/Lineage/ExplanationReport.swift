import JSON

extension Explanation {
  /// The explanations as data: `[{item, input, request, output: [{pointer, value, source, steps, rules}],
  /// rules, unused: [{pointer, reason}], error?}]`; rules as `{id, consequence}`.
  public static func json(_ explanations: [Explanation]) -> JSONValue {
    .array(explanations.map(\.json))
  }

  var json: JSONValue {
    var object = JSONObject()
    object["item"] = item < 0 ? .null : .int(Int64(item))
    object["input"] = .string(input)
    object["request"] = request.map(JSONValue.string) ?? .null
    object["output"] = .array(
      fields.map { field in
        [
          "pointer": .string(field.pointer), "value": field.value,
          "source": field.sourceIsInput ? .string(field.source) : ["constant": .string(field.source)],
          "steps": .array(field.steps.map(JSONValue.string)), "rules": Self.rules(field.rules),
        ]
      })
    object["rules"] = Self.rules(rules)
    object["unused"] = .array(unused.map { ["pointer": .string($0.pointer), "reason": .string($0.reason)] })
    if let failure {
      object["error"] = [
        "message": .string(failure.message), "check": .string(failure.check), "pointer": .string(failure.pointer),
      ]
    }
    return .object(object)
  }

  private static func rules(_ rules: [SpecRule]) -> JSONValue {
    .array(rules.map { ["id": .string($0.id), "consequence": .string($0.consequence)] })
  }

  /// The explanations for a terminal: one block per output item, one line per field, rules indented below it.
  public static func text(_ explanations: [Explanation]) -> String {
    var out = ""
    var unusedShown: Set<String> = []
    for e in explanations {
      let head = e.item < 0 ? "no output item" : "item \(e.item)"
      out += "\(head) (from input \(e.input))"
      if let request = e.request { out += ": \(request)" }
      out += "\n"
      if let failure = e.failure {
        out += "  error: \(failure.message)\n  check: \(failure.check) at \(failure.pointer)\n"
      }
      for field in e.fields {
        let value = field.value.compactString()
        let shown = value.count > 70 ? String(value.prefix(67)) + "…" : value
        out += "  \(field.pointer) = \(shown)\n"
        out += "      ← \(field.source)"
        if !field.steps.isEmpty { out += "  [\(field.steps.joined(separator: " → "))]" }
        out += "\n"
        for rule in field.rules { out += "      \(rule)\n" }
      }
      for rule in e.rules { out += "  \(rule)\n" }
      if !unusedShown.contains(e.input) && !e.unused.isEmpty {
        unusedShown.insert(e.input)
        out += "  input fields nothing read:\n"
        for u in e.unused { out += "    \(u.pointer): \(u.reason)\n" }
      }
      out += "\n"
    }
    return out
  }
}
