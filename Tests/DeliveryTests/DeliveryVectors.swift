import Delivery
import Foundation
import JSON
import TestSupport

/// The upstream delivery cases and helpers to turn their `destination_http_mock` into what the handler sees.
enum DeliveryVectors {
  /// The 12 cases of `../shared/conformance/upstream/delivery.json` (empty when the folder is absent).
  static let cases: [JSONValue] = {
    let url = Paths.upstreamVectors.appendingPathComponent("delivery.json")
    guard let data = try? Data(contentsOf: url), let value = try? JSONValue.parse([UInt8](data)) else { return [] }
    return value.arrayValue ?? []
  }()

  /// Case names, for `@Test(arguments:)`.
  static var names: [String] { cases.compactMap { $0["name"]?.stringValue } }

  /// The case named `name`.
  static func named(_ name: String) -> JSONValue? { cases.first { $0["name"]?.stringValue == name } }

  /// The proxy version of a case's route.
  static func version(_ testCase: JSONValue) -> ProxyVersion {
    testCase["route"]?.stringValue?.contains("/v0/") == true ? .v0 : .v1
  }

  /// The wire bytes of a mocked body: a string as its text, anything else as compact JSON.
  static func wireBody(_ data: JSONValue?) -> [UInt8] {
    guard let data else { return [] }
    if case .string(let s) = data { return Array(s.utf8) }
    return data.compactBytes()
  }

  /// What the handler sees for the case's mock: the answer parsed from the wire, or the mapped network error.
  static func answer(_ testCase: JSONValue) -> DestinationResponse? {
    let mock = testCase["destination_http_mock"]
    if let code = mock?["network_error"]?["code"]?.stringValue { return DestinationResponse(networkError: code) }
    guard let response = mock?["response"], let status = response["status"]?.int64Value else { return nil }
    return DestinationResponse(status: Int(status), body: wireBody(response["data"]))
  }
}
