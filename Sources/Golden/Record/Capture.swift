import JSON

/// Captured RudderStack events turned into processor request items `{message, metadata, destination}`.
///
/// Accepted shapes: a bare message; a processor request item or an array of them; an array of messages; a
/// RudderStack `/v1/batch` body `{batch: [...]}`; and NDJSON (one of those per line).
public enum Capture {
  /// The default destination object a bare `Config` is wrapped in (the shape of upstream's test destination).
  public static func destination(config: JSONObject) -> JSONValue {
    [
      "ID": "recorded-destination-id",
      "Name": "TikTok Ads",
      "DestinationDefinition": [
        "ID": "recorded-destination-definition-id", "Name": "TIKTOK_ADS", "DisplayName": "TikTok Ads", "Config": [:],
      ],
      "Enabled": true,
      "WorkspaceID": "recorded-workspace-id",
      "Transformations": [],
      "RevisionID": "recorded-revision",
      "IsProcessorEnabled": true,
      "IsConnectionEnabled": true,
      "Config": .object(config),
      "hasDynamicConfig": false,
    ]
  }

  /// A destination object: `value` itself when it has a `Config` object, else `value` taken as the `Config`.
  /// - Throws: ``GoldenError/badCapture(_:)`` when `value` is not an object.
  public static func destination(from value: JSONValue) throws(GoldenError) -> JSONValue {
    guard case .object(let object) = value else {
      throw .badCapture("the destination must be a destination object or its Config object, found \(value.typeName)")
    }
    if case .object = object["Config"] { return value }
    return destination(config: object)
  }

  /// The metadata upstream's tests generate for job `jobId`, tied to `destination`.
  public static func metadata(jobId: Int, destination: JSONValue) -> JSONValue {
    [
      "jobId": .int(Int64(jobId)),
      "attemptNum": 1,
      "userId": "recorded-userId",
      "sourceId": "recorded-sourceId",
      "destinationId": destination["ID"] ?? "recorded-destination-id",
      "workspaceId": destination["WorkspaceID"] ?? "recorded-workspace-id",
      "dontBatch": false,
    ]
  }

  /// Parses a capture file: one JSON document, or NDJSON when the text holds several documents, one per line.
  /// - Throws: ``GoldenError/malformed(file:line:column:message:)`` naming the line of the first bad document.
  public static func parseDocuments(_ bytes: [UInt8], file: String) throws(GoldenError) -> [JSONValue] {
    do {
      return [try JSONValue.parse(bytes)]
    } catch let whole {
      var documents: [JSONValue] = []
      var lineNumber = 0
      var sawLine = false
      for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        lineNumber += 1
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
        do {
          documents.append(try JSONValue.parse(Array(line)))
          sawLine = true
        } catch {
          // A single document spread over lines: report the whole-document error.
          if !sawLine { throw .malformed(file: file, line: whole.line, column: whole.column, message: whole.message) }
          throw .malformed(file: file, line: lineNumber, column: error.column, message: error.message)
        }
      }
      guard !documents.isEmpty else {
        throw .malformed(file: file, line: whole.line, column: whole.column, message: whole.message)
      }
      return documents
    }
  }

  /// The processor request items of `documents`, each with `destination` (unless it carries its own) and metadata.
  /// - Parameter destination: the destination object; may be `nil` only if every item carries one.
  /// - Throws: ``GoldenError/badCapture(_:)`` for a shape that is not an event.
  public static func processorItems(_ documents: [JSONValue], destination: JSONValue?) throws(GoldenError)
    -> [JSONValue]
  {
    var items: [JSONValue] = []
    func add(_ value: JSONValue, at place: String) throws(GoldenError) {
      guard case .object(let object) = value else {
        throw .badCapture("\(place): expected an event object, found \(value.typeName)")
      }
      if case .array(let batch) = object["batch"] {
        for (i, element) in batch.enumerated() { try add(element, at: "\(place)/batch/\(i)") }
        return
      }
      var item: JSONObject
      if case .object = object["message"] {
        item = object
      } else {
        guard object["type"] != nil || object["event"] != nil else {
          throw .badCapture("\(place): not a RudderStack message (no \"type\" or \"event\") nor a request item")
        }
        item = ["message": value]
      }
      if item["destination"] == nil || destination != nil {
        guard let destination else { throw .badCapture("\(place): no destination; pass --config DEST") }
        item["destination"] = destination
      }
      if item["metadata"] == nil, let d = item["destination"] {
        item["metadata"] = metadata(jobId: items.count + 1, destination: d)
      }
      items.append(
        .object([
          "message": item["message"] ?? .null, "metadata": item["metadata"] ?? .null,
          "destination": item["destination"] ?? .null,
        ]))
    }
    for (i, document) in documents.enumerated() {
      if case .array(let elements) = document {
        for (j, element) in elements.enumerated() { try add(element, at: documents.count > 1 ? "/\(i)/\(j)" : "/\(j)") }
      } else {
        try add(document, at: documents.count > 1 ? "line \(i + 1)" : "(root)")
      }
    }
    guard !items.isEmpty else { throw .badCapture("the capture holds no events") }
    return items
  }
}
