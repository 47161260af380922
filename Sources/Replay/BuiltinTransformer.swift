import Dispatch
import Golden
import JSON
import Synchronization
import TikTokAds

/// The transformer compiled into the harness (`TikTokAdsTransformer`), with per-request batch limits.
public struct BuiltinTransformer: Transformer {
  /// The default batch limits (a request's overrides replace them for that request).
  public var options: TikTokAdsTransformer.Options

  /// The built-in transformer with upstream's default limits unless given.
  public init(options: TikTokAdsTransformer.Options = .init()) {
    self.options = options
  }

  /// Always `builtin`.
  public var name: String { "builtin" }
  /// Always `true`.
  public var appliesBatchOverrides: Bool { true }

  /// Transforms `request.body` in process; the status is always 200, like rudder-transformer's endpoints.
  public func respond(to request: TransformRequest) throws(TransformerError) -> TransformResponse {
    var options = self.options
    if let n = request.maxBatchSizeV1 { options.maxBatchSizeV1 = n }
    if let n = request.maxBatchSizeV2 { options.maxBatchSizeV2 = n }
    let transformer = TikTokAdsTransformer(options: options)
    do {
      switch request.route.kind {
      case .processor: return TransformResponse(status: 200, body: try transformer.processorResponse(for: request.body))
      case .router: return TransformResponse(status: 200, body: try transformer.routerResponse(for: request.body))
      case .deliveryV0, .deliveryV1: throw TransformerError.unsupportedRoute(request.route)
      }
    } catch let error as TransformerError {
      throw error
    } catch {
      throw .failed("built-in transformer rejected the request: \(error)")
    }
  }
}

extension BuiltinTransformer {
  /// The mapping rows (``TikTokAds/CoverageRow``) the request exercises, from the built-in transformer's traced run;
  /// empty for a request of another route or one it rejects.
  public func coverage(of request: TransformRequest) -> Set<CoverageRow> {
    var options = self.options
    if let n = request.maxBatchSizeV1 { options.maxBatchSizeV1 = n }
    if let n = request.maxBatchSizeV2 { options.maxBatchSizeV2 = n }
    let transformer = TikTokAdsTransformer(options: options)
    switch request.route.kind {
    case .processor: return (try? transformer.tracedProcessorResponse(for: request.body))?.rows ?? []
    case .router: return (try? transformer.tracedRouterResponse(for: request.body))?.rows ?? []
    case .deliveryV0, .deliveryV1: return []
    }
  }
}

extension BuiltinTransformer {
  /// Every request answered in process, spread over the cores (the built-in transformer is never unreachable).
  public func respond(toAll requests: [TransformRequest]) -> [TransformAnswer?] {
    let answers = Mutex<[TransformAnswer?]>(Array(repeating: nil, count: requests.count))
    DispatchQueue.concurrentPerform(iterations: requests.count) { i in
      let answer = TransformAnswer(timing: { () throws(TransformerError) in try respond(to: requests[i]) })
      answers.withLock { $0[i] = answer }
    }
    return answers.withLock { $0 }
  }
}
