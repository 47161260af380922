import Golden
import JSON

/// A captured event turned into a golden case (`record`): the input as written (redacted, secrets masked), the
/// expected value computed by the built-in transformer from that input, and two checks before anything is
/// written: the redacted input must make the transformer produce exactly the same fields (JSON Pointers) as the
/// captured one, and nothing sensitive may be left in the file (``CaseRecorder/leftovers(original:in:items:)``).
public struct Recording: Sendable {
  /// How the capture is redacted and masked.
  public var recorder: CaseRecorder
  /// `.processor` (one case, one request item per event) or `.router` (the events batched together).
  public var route: Route

  /// A recording.
  public init(recorder: CaseRecorder, route: Route) {
    self.recorder = recorder
    self.route = route
  }

  /// A case ready to be written.
  public struct Recorded: Sendable {
    /// The case.
    public var golden: GoldenCase
    /// The built-in transformer's answer to the written input.
    public var response: TransformResponse
    /// The number of events.
    public var events: Int
  }

  /// Why a capture is not recorded.
  public enum Refusal: Error, CustomStringConvertible, Sendable {
    /// The capture or destination has a shape `record` does not take.
    case badCapture(String)
    /// The built-in transformer rejected the request body.
    case transformer(String)
    /// Redaction changed which fields the transformer outputs: pointers only the captured event's output has,
    /// and pointers only the redacted one has.
    case changedOutput(lost: [JSONPointer], gained: [JSONPointer])
    /// Sensitive values the file would hold.
    case leftovers([Leftover])
    /// Replay could not read the written case back (the parser's message): the capture nests too deeply.
    case unreadable(String)

    /// One line.
    public var description: String {
      switch self {
      case .badCapture(let m), .transformer(let m): return m
      case .changedOutput(let lost, let gained):
        let parts =
          lost.prefix(5).map { "\($0) only in the captured event's output" }
          + gained.prefix(5).map { "\($0) only in the redacted event's output" }
        let more = lost.count + gained.count - parts.count
        return "redaction would change what the transformer does: " + parts.joined(separator: "; ")
          + (more > 0 ? "; and \(more) more" : "")
      case .leftovers(let found):
        let what = found.prefix(10).map(\.description).joined(separator: "; ")
        let more = found.count > 10 ? "; and \(found.count - 10) more" : ""
        return "\(found.count) sensitive value\(found.count == 1 ? "" : "s") would be written: \(what)\(more)"
      case .unreadable(let m):
        return "replay could not read the case back (\(m)); the captured event is nested too deeply for a golden case"
      }
    }
  }

  /// Builds the case named `name` in `file` from the captured `documents` and `destination`.
  /// - Throws: ``Refusal`` when the capture cannot be recorded, or could not be recorded safely.
  public func record(
    documents: [JSONValue], destination: JSONValue?, name: String, file: String, description: String
  ) throws(Refusal) -> Recorded {
    let items: (original: [JSONValue], written: [JSONValue])
    do {
      items = try recorder.items(documents: documents, destination: destination)
    } catch {
      throw .badCapture("\(error)")
    }
    let written = body(items.written)
    let response = try respond(written)
    let original = try respond(body(items.original))
    let before = Self.pointers(original.body)
    let after = Self.pointers(response.body)
    if before != after {
      throw .changedOutput(lost: before.subtracting(after).sorted(), gained: after.subtracting(before).sorted())
    }
    let golden = GoldenCase(
      name: name, file: file, description: description, route: route, input: written,
      expected: response.asExpected)
    try checkWritable(golden, original: items.original)
    return Recorded(golden: golden, response: response, events: items.written.count)
  }

  /// The checks before a case is written: nothing sensitive of the `original` processor request items is left in
  /// it, and replay can read it back (not discovered later as a malformed case).
  /// - Throws: ``Refusal/leftovers(_:)`` or ``Refusal/unreadable(_:)``.
  public func checkWritable(_ golden: GoldenCase, original: [JSONValue]) throws(Refusal) {
    let at = golden.route.kind == .router ? JSONPointer(tokens: ["input", "input"]) : JSONPointer(tokens: ["input"])
    let leftovers = recorder.leftovers(original: original, in: .object(golden.document), items: at)
    if !leftovers.isEmpty { throw .leftovers(leftovers) }
    do throws(JSONParseError) {
      _ = try JSONValue.parse(JSONValue.object(golden.document).canonicalString())
    } catch {
      throw .unreadable(error.message)
    }
  }

  private func body(_ items: [JSONValue]) -> JSONValue {
    route.kind == .router ? ["destType": "tiktok_ads", "input": .array(items)] : .array(items)
  }

  private func respond(_ body: JSONValue) throws(Refusal) -> TransformResponse {
    do {
      return try BuiltinTransformer().respond(to: TransformRequest(route: route, body: body))
    } catch {
      throw .transformer("\(error)")
    }
  }

  /// The pointer of every value in `value`, containers included.
  static func pointers(_ value: JSONValue) -> Set<JSONPointer> {
    var out: Set<JSONPointer> = []
    func walk(_ v: JSONValue, _ p: JSONPointer) {
      out.insert(p)
      switch v {
      case .object(let o): for e in o.entries { walk(e.value, p.appending(e.key)) }
      case .array(let a): for (i, x) in a.enumerated() { walk(x, p.appending(index: i)) }
      default: break
      }
    }
    walk(value, .root)
    return out
  }
}
