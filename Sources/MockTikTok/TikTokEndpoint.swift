/// One of TikTok's Events API endpoints served by the mock.
public struct TikTokEndpoint: Sendable, Hashable, CustomStringConvertible {
  /// The API version segment, `v1.2` or `v1.3`.
  public var version: String
  /// The endpoint kind.
  public var kind: Kind

  /// The three kinds of Events API request bodies.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// Events 1.0, one event: `pixel/track`.
    case pixelTrack = "pixel/track"
    /// Events 1.0, a batch: `pixel/batch`.
    case pixelBatch = "pixel/batch"
    /// Events 2.0: `event/track` (v1.3 only).
    case eventTrack = "event/track"
  }

  public init(version: String, kind: Kind) {
    self.version = version
    self.kind = kind
  }

  /// Every served endpoint.
  public static let all: [TikTokEndpoint] = [
    TikTokEndpoint(version: "v1.2", kind: .pixelTrack), TikTokEndpoint(version: "v1.2", kind: .pixelBatch),
    TikTokEndpoint(version: "v1.3", kind: .pixelTrack), TikTokEndpoint(version: "v1.3", kind: .pixelBatch),
    TikTokEndpoint(version: "v1.3", kind: .eventTrack),
  ]

  /// `v1.3/event/track`.
  public var description: String { "\(version)/\(kind.rawValue)" }

  /// The canonical path, `/open_api/v1.3/event/track/`.
  public var path: String { "/open_api/\(version)/\(kind.rawValue)/" }

  /// The endpoint for a request path: repeated slashes collapse and the trailing slash is optional
  /// (`/open_api/v1.3//pixel/track` is `v1.3/pixel/track`). `nil` for any other path.
  public init?(path: String) {
    // Fast path: the canonical spellings.
    switch path {
    case "/open_api/v1.3/event/track/": self.init(version: "v1.3", kind: .eventTrack); return
    case "/open_api/v1.3/pixel/track/": self.init(version: "v1.3", kind: .pixelTrack); return
    case "/open_api/v1.3/pixel/batch/": self.init(version: "v1.3", kind: .pixelBatch); return
    case "/open_api/v1.2/pixel/track/": self.init(version: "v1.2", kind: .pixelTrack); return
    case "/open_api/v1.2/pixel/batch/": self.init(version: "v1.2", kind: .pixelBatch); return
    default: break
    }
    let segments = path.split(separator: "/", omittingEmptySubsequences: true)
    guard segments.count == 4, segments[0] == "open_api" else { return nil }
    let version = String(segments[1])
    guard let kind = Kind(rawValue: "\(segments[2])/\(segments[3])") else { return nil }
    guard version == "v1.3" || (version == "v1.2" && kind != .eventTrack) else { return nil }
    self.init(version: version, kind: kind)
  }

  /// `true` when `pattern` names this endpoint: `pixel/track` (any version), `v1.3/pixel/track`, a path, or `*`.
  public func matches(_ pattern: String) -> Bool {
    if pattern == "*" || pattern == "any" { return true }
    if pattern == kind.rawValue || pattern == description { return true }
    if let other = TikTokEndpoint(path: pattern) { return other == self }
    return false
  }

  /// `true` when `pattern` is something ``matches(_:)`` understands.
  public static func isValidPattern(_ pattern: String) -> Bool {
    pattern == "*" || pattern == "any" || Kind(rawValue: pattern) != nil
      || all.contains { $0.description == pattern } || TikTokEndpoint(path: pattern) != nil
  }
}
