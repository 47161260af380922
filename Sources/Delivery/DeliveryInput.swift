import JSON

/// The requests found in a document given to `deliver`, and the items that carry no request.
///
/// Accepted shapes (spec §9.1, §12, §8):
/// - a proxy request object (`endpoint`, `body`, `metadata`…), or an array of them: e.g. a delivery case's `input`;
/// - a golden case `{route, input, …}` whose `input` is one, or an array of such cases;
/// - a processor response body: an array of `{output, metadata, statusCode}` items;
/// - a router response body: `{output: [{batchedRequest, metadata, statusCode, …}]}`, `batchedRequest` an object or
///   an array of objects, each sent with the item's `metadata` array.
///
/// Items that are errors (`error` set, or a `statusCode` outside 2xx) are listed in ``skipped`` rather than sent.
public struct DeliveryInput: Sendable {
  /// An item with nothing to send.
  public struct Skipped: Sendable, Equatable {
    /// Its JSON Pointer in the document.
    public var source: String
    /// Its `statusCode`, if any.
    public var statusCode: Int?
    /// Its `error` text, or why it was skipped.
    public var reason: String

    /// A skipped item.
    public init(source: String, statusCode: Int?, reason: String) {
      self.source = source
      self.statusCode = statusCode
      self.reason = reason
    }
  }

  /// The requests, in document order.
  public var requests: [ProxyRequest] = []
  /// The items skipped, in document order.
  public var skipped: [Skipped] = []

  /// Reads every request of `document`.
  /// - Throws: ``DeliveryError`` when the document is none of the accepted shapes or a request is malformed.
  public init(document: JSONValue) throws(DeliveryError) {
    switch document {
    case .array(let items):
      for (i, item) in items.enumerated() { try add(item, at: "/\(i)") }
    case .object(let o):
      if case .array(let items)? = o["output"] {
        for (i, item) in items.enumerated() { try add(item, at: "/output/\(i)") }
      } else {
        try add(document, at: "")
      }
    default:
      throw .unrecognizedInput(
        "expected a proxy request, a processor or router response body, or an array of them; found \(document.typeName)"
      )
    }
  }

  private mutating func add(_ item: JSONValue, at pointer: String) throws(DeliveryError) {
    guard case .object(let o) = item else {
      throw .invalidRequest(pointer: pointer, message: "expected an object, found \(item.typeName)")
    }
    if o["endpoint"] != nil {
      requests.append(try ProxyRequest(item, source: pointer))
      return
    }
    if o["route"] != nil, let input = o["input"] {
      if case .array(let inputs) = input {
        for (i, one) in inputs.enumerated() { requests.append(try ProxyRequest(one, source: "\(pointer)/input/\(i)")) }
      } else {
        requests.append(try ProxyRequest(input, source: pointer + "/input"))
      }
      return
    }
    let status = o["statusCode"]?.int64Value.map { Int($0) }
    if o["error"] != nil || (status.map { !(200..<300).contains($0) } ?? false) {
      let reason = o["error"].map { $0.stringValue ?? $0.compactString() } ?? "statusCode \(status ?? 0)"
      skipped.append(Skipped(source: pointer, statusCode: status, reason: reason))
      return
    }
    if let batched = o["batchedRequest"] {
      let metadata = o["metadata"]
      switch batched {
      case .array(let list):
        for (i, r) in list.enumerated() {
          requests.append(try ProxyRequest(r, source: "\(pointer)/batchedRequest/\(i)", metadata: metadata))
        }
      default:
        requests.append(try ProxyRequest(batched, source: pointer + "/batchedRequest", metadata: metadata))
      }
      return
    }
    if let output = o["output"], output.objectValue != nil {
      requests.append(try ProxyRequest(output, source: pointer + "/output", metadata: o["metadata"]))
      return
    }
    throw .invalidRequest(
      pointer: pointer,
      message: "expected a proxy request (endpoint), a processor item (output) or a router item (batchedRequest)")
  }
}
