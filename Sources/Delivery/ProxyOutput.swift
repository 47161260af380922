import JSON

/// The two shapes of rudder-transformer's delivery proxy answer.
public enum ProxyVersion: String, Sendable, Equatable, CaseIterable {
  /// `POST /v0/destinations/tiktok_ads/proxy`: one metadata object, `destinationResponse` echoed (spec §9.4).
  case v0
  /// `POST /v1/destinations/tiktok_ads/proxy`: a metadata array, one `response[]` item per entry (spec §9.5).
  case v1
}

/// A proxy answer: the HTTP status of the proxy endpoint and its body `{output: {...}}`.
public struct ProxyOutput: Sendable, Equatable {
  /// The HTTP status the proxy endpoint answers with.
  public var httpStatus: Int
  /// The body.
  public var body: JSONValue

  /// `{status, body}`, the shape of a golden case's `expected`.
  public var asExpected: JSONValue { ["status": .int(Int64(httpStatus)), "body": body] }

  /// Builds the proxy answer for one delivered request.
  /// - Parameters:
  ///   - version: the proxy route.
  ///   - classification: the handler's verdict.
  ///   - answer: what the handler saw (`destinationResponse`).
  ///   - metadata: the request's `metadata`: an object for v0, an array for v1 (either is accepted for both; an
  ///     object is one entry, an array's first entry gives the v0 statTags).
  public static func make(
    version: ProxyVersion, classification: Classification, answer: DestinationResponse, metadata: JSONValue?
  ) -> ProxyOutput {
    let entries = metadataEntries(metadata)
    var output = JSONObject()
    output.appendUnchecked("status", .int(Int64(classification.status)))
    output.appendUnchecked("message", .string(classification.message))
    switch version {
    case .v0:
      output.appendUnchecked("destinationResponse", answer.json)
    case .v1:
      let error = JSONValue.string(answer.response.javaScriptJSONString)
      let items = entries.map { m -> JSONValue in
        var item = JSONObject()
        item.appendUnchecked("error", error)
        item.appendUnchecked("statusCode", .int(Int64(classification.status)))
        item.appendUnchecked("metadata", m)
        return .object(item)
      }
      output.appendUnchecked("response", .array(items))
    }
    if let errorType = classification.errorType {
      output.appendUnchecked("statTags", .object(statTags(errorType: errorType, metadata: entries.first)))
    }
    let status: Int
    switch version {
    case .v0: status = v0HTTPStatus(classification.status)
    case .v1: status = 200
    }
    return ProxyOutput(httpStatus: status, body: ["output": .object(output)])
  }

  /// The v0 endpoint's HTTP status for an output status: 2xx becomes 200, 404 becomes 400, others unchanged.
  public static func v0HTTPStatus(_ status: Int) -> Int {
    if (200..<300).contains(status) { return 200 }
    return status == 404 ? 400 : status
  }

  /// The statTags of a delivery error, in upstream's key order; `destinationId` and `workspaceId` come from
  /// `metadata` when it has them.
  public static func statTags(errorType: String, metadata: JSONValue?) -> JSONObject {
    var tags = JSONObject()
    tags.appendUnchecked("destType", "TIKTOK_ADS")
    tags.appendUnchecked("errorCategory", "network")
    if let id = metadata?["destinationId"], !id.isNull { tags.appendUnchecked("destinationId", id) }
    if let id = metadata?["workspaceId"], !id.isNull { tags.appendUnchecked("workspaceId", id) }
    tags.appendUnchecked("errorType", .string(errorType))
    tags.appendUnchecked("feature", "dataDelivery")
    tags.appendUnchecked("implementation", "native")
    tags.appendUnchecked("module", "destination")
    return tags
  }

  /// The metadata entries: the array's elements, or the single object; none when absent.
  static func metadataEntries(_ metadata: JSONValue?) -> [JSONValue] {
    switch metadata {
    case .array(let a)?: return a
    case nil, .null?: return []
    case let other?: return [other]
    }
  }
}
