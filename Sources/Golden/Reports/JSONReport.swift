import JSON

/// A machine-readable report: summary counts, then every case with all of its differences (secrets masked).
public enum JSONReport {
  /// The report document.
  /// - Parameters:
  ///   - results: every case result, in run order.
  ///   - summary: the counts.
  ///   - transformer: which transformer answered (`builtin` or a URL).
  public static func document(_ results: [CaseResult], summary: RunSummary, transformer: String) -> JSONValue {
    var counts = JSONObject()
    counts["total"] = .int(Int64(summary.total))
    counts["passed"] = .int(Int64(summary.passed))
    counts["failed"] = .int(Int64(summary.failed))
    counts["updated"] = .int(Int64(summary.updated))
    counts["malformed"] = .int(Int64(summary.malformed))
    counts["skipped"] = .int(Int64(summary.skipped))
    counts["exitStatus"] = .int(Int64(summary.exitStatus))
    var root = JSONObject()
    root["tool"] = "tiktok-harness replay"
    root["transformer"] = .string(transformer)
    root["summary"] = .object(counts)
    root["cases"] = .array(results.map(caseObject))
    return .object(root)
  }

  /// The report as pretty JSON text.
  public static func render(_ results: [CaseResult], summary: RunSummary, transformer: String) -> String {
    document(results, summary: summary, transformer: transformer).prettyString()
  }

  static func caseObject(_ result: CaseResult) -> JSONValue {
    var o = JSONObject()
    o["name"] = .string(result.name)
    o["location"] = .string(result.location)
    if let route = result.route { o["route"] = .string(route) }
    o["status"] = .string(result.status)
    o["seconds"] = .double((result.seconds * 1e6).rounded() / 1e6)
    if let message = result.message { o["message"] = .string(message) }
    if !result.mismatches.isEmpty { o["mismatches"] = .array(result.mismatches.map(mismatchObject)) }
    return .object(o)
  }

  static func mismatchObject(_ m: Mismatch) -> JSONValue {
    var o = JSONObject()
    o["pointer"] = .string(m.pointer.description)
    o["kind"] = .string(m.kind.rawValue)
    if let e = m.expected { o["expected"] = safe(e, m.pointer) }
    if let a = m.actual { o["actual"] = safe(a, m.pointer) }
    return .object(o)
  }

  private static func safe(_ value: JSONValue, _ pointer: JSONPointer) -> JSONValue {
    if SecretMask.isSecret(pointer), case .string(let s) = value { return .string("<secret: \(s.count) characters>") }
    return SecretMask.scrub(value)
  }
}
