import JSON

/// The lineage of one output item of a traced response: for every field of its body, where the value came from,
/// the steps applied and the spec rules that fired; for an error item, the check that failed; and the fields of
/// the input event nothing read. Built from a ``TracedResponse`` (the transformer's own execution), never from a
/// second description of the mapping.
public struct Explanation: Sendable {
  /// One output field.
  public struct Field: Sendable {
    /// JSON Pointer into the response body.
    public let pointer: String
    public let value: JSONValue
    /// An input JSON Pointer (`/0/message/context/traits/email`), or a description of a constant or default.
    public let source: String
    /// `true` when ``source`` is an input pointer.
    public let sourceIsInput: Bool
    public let steps: [String]
    public let rules: [SpecRule]
  }

  /// Why the event became an error item.
  public struct Failure: Sendable {
    public let message: String
    public let check: String
    /// JSON Pointer into the request body of what the check looked at.
    public let pointer: String
  }

  /// The output item's index in the response (the processor array, or the router's `output`).
  public let item: Int
  /// JSON Pointer of the input event in the request body (`/0`, `/input/3`).
  public let input: String
  /// `POST <endpoint>` of the request the item becomes, when it is one.
  public let request: String?
  public let fields: [Field]
  /// Rules that fired for the event as a whole.
  public let rules: [SpecRule]
  public let failure: Failure?
  /// Input fields nothing read, as JSON Pointers into the request body, each with the reason.
  public let unused: [(pointer: String, reason: String)]

  /// The explanations of every output item of `traced`, for the request `body` it answered.
  public static func of(_ traced: TracedResponse, request body: JSONValue) -> [Explanation] {
    let items = (traced.isRouter ? traced.body["output"]?.arrayValue : traced.body.arrayValue) ?? []
    let inputs = (traced.isRouter ? body["input"]?.arrayValue : body.arrayValue) ?? []
    var out: [Explanation] = []
    for event in traced.events {
      let inputPointer = traced.isRouter ? "/input/\(event.input)" : "/\(event.input)"
      let input = event.input < inputs.count ? inputs[event.input] : .null
      let unused = Unused.of(input, reads: event.trace.reads, prefix: inputPointer)
      for (n, k) in event.outputs.enumerated() where k < items.count {
        let item = items[k]
        let layout = BodyLayout(
          item: item, isRouter: traced.isRouter, target: n, offset: n < event.offsets.count ? event.offsets[n] : 0,
          count: event.trace.targetCount)
        out.append(
          Explanation(
            item: k, input: inputPointer, request: layout.request,
            fields: layout.fields(
              trace: event.trace, itemPointer: traced.isRouter ? "/output/\(k)" : "/\(k)", inputPointer: inputPointer,
              input: input),
            rules: event.trace.eventRules.sorted(),
            failure: failure(item, event.trace, inputPointer: inputPointer), unused: unused))
      }
      if event.outputs.isEmpty {
        // R1: an event that produced no output item at all is still explained.
        out.append(
          Explanation(
            item: -1, input: inputPointer, request: nil, fields: [], rules: event.trace.eventRules.sorted(),
            failure: nil, unused: unused))
      }
    }
    // R17: an empty router input is answered by the request as a whole, with no event to explain it by.
    if traced.isRouter, inputs.isEmpty, let item = items.first, let message = item["error"]?.stringValue {
      out.append(
        Explanation(
          item: 0, input: "/input", request: nil, fields: [], rules: [.r17],
          failure: Failure(message: message, check: "R17: the router input is empty", pointer: "/input"), unused: []))
    }
    return out.sorted { ($0.item < 0 ? Int.max : $0.item, $0.input) < ($1.item < 0 ? Int.max : $1.item, $1.input) }
  }

  private static func failure(_ item: JSONValue, _ trace: TransformTrace, inputPointer: String) -> Failure? {
    guard let message = item["error"]?.stringValue else { return nil }
    let failure = trace.failure
    return Failure(
      message: message, check: failure?.check ?? "(the error of the group or request this event was in)",
      pointer: inputPointer + JSONPointer(tokens: failure?.pointer ?? []).description)
  }
}

/// Where one event's requests sit inside an output item, and the walk over their fields.
private struct BodyLayout {
  /// What a payload of the item is: a body's own fields, a `data[]` entry (v2), a `batch[]` item (v1 router), or
  /// a whole v1 request body.
  enum Kind { case body, data, batch, request }

  struct Payload {
    let kind: Kind
    /// The TikTok event (target) of the input event; `nil` for a body's own fields.
    let target: Int?
    /// Pointer tokens from the output item to the payload.
    let pointer: [String]
    let value: JSONValue
  }

  let request: String?
  let payloads: [Payload]

  init(item: JSONValue, isRouter: Bool, target n: Int, offset: Int, count: Int) {
    let requestKey = isRouter ? "batchedRequest" : "output"
    switch item[requestKey] {
    case .array(let requests)?:
      // A router test event: its requests, unbatched.
      request = requests.first.map(Self.describe)
      payloads = requests.enumerated().flatMap { t, request in
        Self.payloads(of: request, base: [requestKey, String(t)], ownEntries: nil, plainTarget: t)
      }
    case let requestObject?:
      request = Self.describe(requestObject)
      let own = isRouter ? offset..<(offset + count) : nil
      payloads = Self.payloads(of: requestObject, base: [requestKey], ownEntries: own, plainTarget: n)
    case nil:
      request = nil
      payloads = []
    }
  }

  private static func describe(_ request: JSONValue) -> String {
    "\(request["method"]?.stringValue ?? "POST") \(request["endpoint"]?.stringValue ?? "")"
  }

  /// The payloads of one request object: its body's own fields, then its `data[]` or `batch[]` entries (in a
  /// router batch only the event's own, `ownEntries`), or the whole body as the event's TikTok event.
  private static func payloads(of request: JSONValue, base: [String], ownEntries: Range<Int>?, plainTarget: Int)
    -> [Payload]
  {
    let json = request["body"]?["JSON"] ?? .null
    let bodyPointer = base + ["body", "JSON"]
    for (key, kind) in [("data", Kind.data), ("batch", Kind.batch)] {
      guard case .array(let entries)? = json[key], case .object(var own) = json else { continue }
      own.removeValue(forKey: key)
      let range = ownEntries.map { entries.indices.clamped(to: $0) } ?? entries.indices
      let first = ownEntries?.lowerBound ?? 0
      return [Payload(kind: .body, target: nil, pointer: bodyPointer, value: .object(own))]
        + range.map {
          Payload(kind: kind, target: $0 - first, pointer: bodyPointer + [key, String($0)], value: entries[$0])
        }
    }
    return [Payload(kind: .request, target: plainTarget, pointer: bodyPointer, value: json)]
  }

  func fields(trace: TransformTrace, itemPointer: String, inputPointer: String, input: JSONValue)
    -> [Explanation.Field]
  {
    var out: [Explanation.Field] = []
    for payload in payloads {
      var leaves: [([String], JSONValue)] = []
      Self.leaves(payload.value, [], into: &leaves)
      for (path, value) in leaves {
        let full = itemPointer + JSONPointer(tokens: payload.pointer + path).description
        let field = { (source: String, isInput: Bool, steps: [String], rules: [SpecRule]) in
          out.append(
            Explanation.Field(
              pointer: full, value: value, source: source, sourceIsInput: isInput, steps: steps, rules: rules))
        }
        if let root = trace.pretransformedBody {
          // Q17: the request came in already transformed; every field is the input's own.
          let inner = payload.kind == .data ? ["data", String(payload.target ?? 0)] + path : path
          field(inputPointer + JSONPointer(tokens: root + inner).description, true, [], [.q17])
          continue
        }
        switch Self.resolved(Self.lookup(trace, payload, path), path: path) {
        case (.input(let tokens), let origin)?:
          var rules = origin.rules
          // R15: the input number's own text is not what JavaScript prints for it (46.0 is sent as 46).
          if let raw = input.value(atTokens: tokens), raw.isNumber, raw.canonicalString() != raw.compactString() + "\n"
          {
            rules.append(.r15)
          }
          field(inputPointer + JSONPointer(tokens: tokens).description, true, origin.steps, rules)
        case (.constant(let text), let origin)?:
          field(text, false, origin.steps, origin.rules)
        case nil:
          if payload.target == nil {
            field("set by the batch from its first event's settings (§8.3, §8.4)", false, [], [])
          } else if payload.kind == .batch && path == ["type"] {
            field("added by v1 batching (§8.3)", false, [], [])
          } else {
            field("unknown", false, [], [])
          }
        }
      }
    }
    return out
  }

  /// The origin of a leaf of `payload`. R16/Q14: a v2 body batched into a v1 batch item holds body fields and a
  /// `data[]` of its own, looked up as such.
  static func lookup(_ trace: TransformTrace, _ payload: Payload, _ path: [String]) -> (TransformTrace.Origin, Int)? {
    if let found = origin(trace, target: payload.target, path: path) { return found }
    guard payload.kind == .batch else { return nil }
    if path.count >= 2, path[0] == "data", let t = Int(path[1]) {
      return origin(trace, target: t, path: Array(path.dropFirst(2))).map { ($0.0, $0.1 + 2) }
    }
    return origin(trace, target: nil, path: path)
  }

  /// The origin recorded at `path` for `target`, or at its nearest ancestor, with the prefix length it was found at.
  static func origin(_ trace: TransformTrace, target: Int?, path: [String]) -> (TransformTrace.Origin, Int)? {
    for length in stride(from: path.count, through: 1, by: -1) {
      if let origin = trace.origins[.init(target: target, path: Array(path.prefix(length)))] { return (origin, length) }
    }
    return nil
  }

  /// The source of the leaf at `path`: an ancestor's input source extended by the rest of the path.
  static func resolved(_ found: (TransformTrace.Origin, Int)?, path: [String])
    -> (TransformTrace.Source, TransformTrace.Origin)?
  {
    guard let (origin, length) = found else { return nil }
    if case .input(let tokens) = origin.source { return (.input(tokens + path.dropFirst(length)), origin) }
    return (origin.source, origin)
  }

  /// Scalars and empty containers, depth first, in document order.
  static func leaves(_ value: JSONValue, _ path: [String], into out: inout [([String], JSONValue)]) {
    switch value {
    case .object(let object) where !object.isEmpty:
      for entry in object { leaves(entry.value, path + [entry.key], into: &out) }
    case .array(let items) where !items.isEmpty:
      for (i, item) in items.enumerated() { leaves(item, path + [String(i)], into: &out) }
    default:
      out.append((path, value))
    }
  }
}

/// The input fields nothing read.
enum Unused {
  /// The highest nodes under `input.message` with no read at, above or below them.
  static func of(_ input: JSONValue, reads: Set<[String]>, prefix: String) -> [(pointer: String, reason: String)] {
    guard let message = input["message"], message.isJSObject else { return [] }  // R6: nothing in it to read
    // Every proper prefix of a read path has a read below it.
    var above: Set<[String]> = []
    for read in reads where read.count > 1 {
      for length in 1..<read.count { above.insert(Array(read.prefix(length))) }
    }
    var out: [(String, String)] = []
    walk(message, ["message"], reads: reads, above: above, prefix: prefix, into: &out)
    return out
  }

  private static func walk(
    _ value: JSONValue, _ path: [String], reads: Set<[String]>, above: Set<[String]>, prefix: String,
    into out: inout [(String, String)]
  ) {
    if reads.contains(path) { return }  // read here; its ancestors were checked on the way down
    switch value {
    case .object(let object) where above.contains(path):
      for entry in object {
        walk(entry.value, path + [entry.key], reads: reads, above: above, prefix: prefix, into: &out)
      }
    case .array(let items) where above.contains(path):
      for (i, item) in items.enumerated() {
        walk(item, path + [String(i)], reads: reads, above: above, prefix: prefix, into: &out)
      }
    default:
      out.append((prefix + JSONPointer(tokens: path).description, "no mapping row reads it"))
    }
  }
}

extension JSONValue {
  /// The value at `tokens` (object members and array indices), or `nil`.
  fileprivate func value(atTokens tokens: [String]) -> JSONValue? {
    var current = self
    for token in tokens {
      switch current {
      case .object(let o):
        guard let next = o[token] else { return nil }
        current = next
      case .array(let a):
        guard let i = Int(token), a.indices.contains(i) else { return nil }
        current = a[i]
      default: return nil
      }
    }
    return current
  }
}
