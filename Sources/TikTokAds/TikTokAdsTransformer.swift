import JSON

/// RudderStack's TikTok Ads destination transformer (Events 1.0 and 2.0), processor and router,
/// speaking rudder-transformer's own request and response bodies.
///
/// ```swift
/// let t = TikTokAdsTransformer()
/// let body = try t.processorResponse(for: request)   // request: [{message, destination, metadata}]
/// ```
public struct TikTokAdsTransformer: Sendable {
  /// Tunables that upstream keeps in its config module.
  public struct Options: Sendable, Equatable {
    /// Events 1.0 batch limit, counted in generated TikTok events (upstream: 50).
    public var maxBatchSizeV1: Int = 50
    /// Events 2.0 batch limit, counted in `data[]` entries (upstream: 1000; its router vectors 03–07 use 3).
    public var maxBatchSizeV2: Int = 1000

    /// The upstream defaults.
    public init(maxBatchSizeV1: Int = 50, maxBatchSizeV2: Int = 1000) {
      self.maxBatchSizeV1 = maxBatchSizeV1
      self.maxBatchSizeV2 = maxBatchSizeV2
    }
  }

  /// The batch limits in force.
  public var options: Options

  /// A transformer with `options` (upstream defaults unless given).
  public init(options: Options = Options()) {
    self.options = options
  }
}
