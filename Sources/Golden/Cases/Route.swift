/// The endpoint a case calls, e.g. `POST /v0/destinations/tiktok_ads`: what decides which runner replays it.
public struct Route: Sendable, Hashable, CustomStringConvertible {
  /// The kinds of endpoint the TikTok Ads corpus exercises.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// `POST /v0/destinations/tiktok_ads`: one event in, one or more requests out.
    case processor
    /// `POST /routerTransform`: batching.
    case router
    /// `POST /v0/destinations/tiktok_ads/proxy`: delivery, v0 output shape.
    case deliveryV0 = "delivery-v0"
    /// `POST /v1/destinations/tiktok_ads/proxy`: delivery, v1 output shape.
    case deliveryV1 = "delivery-v1"
  }

  /// The HTTP method, always `POST` in this corpus.
  public let method: String
  /// The request path, e.g. `/routerTransform`.
  public let path: String
  /// What the path means.
  public let kind: Kind

  /// The processor route.
  public static let processor = Route(method: "POST", path: "/v0/destinations/tiktok_ads", kind: .processor)
  /// The router route.
  public static let router = Route(method: "POST", path: "/routerTransform", kind: .router)
  /// The v0 delivery (proxy) route.
  public static let deliveryV0 = Route(method: "POST", path: "/v0/destinations/tiktok_ads/proxy", kind: .deliveryV0)
  /// The v1 delivery (proxy) route.
  public static let deliveryV1 = Route(method: "POST", path: "/v1/destinations/tiktok_ads/proxy", kind: .deliveryV1)

  /// Every route a case may name.
  public static let all: [Route] = [.processor, .router, .deliveryV0, .deliveryV1]

  private init(method: String, path: String, kind: Kind) {
    self.method = method
    self.path = path
    self.kind = kind
  }

  /// The route written as `METHOD /path` (extra spaces allowed), or `nil` when it is not one of ``Route/all``.
  public init?(_ text: String) {
    let parts = text.split(separator: " ", omittingEmptySubsequences: true)
    guard parts.count == 2 else { return nil }
    let method = parts[0].uppercased()
    var path = String(parts[1])
    if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    guard let known = Route.all.first(where: { $0.method == method && $0.path == path }) else { return nil }
    self = known
  }

  /// `METHOD /path`, as written in case files.
  public var description: String { "\(method) \(path)" }
}
