import HTTP
import JSON
import TikTokAds

/// Settings for ``TransformerServer``.
public struct TransformerServerConfiguration: Sendable {
  /// The HTTP server settings. Binds 127.0.0.1 on a free port by default; bodies up to 64 MiB (a processor batch of
  /// 10,000 events is about 20 MB).
  public var http: HTTPServerConfiguration = {
    var http = HTTPServerConfiguration()
    http.limits.maxBodyBytes = 64 * 1024 * 1024
    return http
  }()
  /// The transformer's batch limits (upstream's defaults unless set).
  public var options = TikTokAdsTransformer.Options()

  public init() {}
}

/// The built-in transformer served over HTTP on rudder-transformer's routes: a stand-in for a live
/// rudder-transformer, so `replay`, `compare` and `minimize` can run against it as against a real one.
///
/// - `POST /v0/destinations/tiktok_ads`: a processor request body (an array of `{message, destination, metadata}`)
///   → the processor response body, 200 (errors are per event, inside the body, as upstream answers them).
/// - `POST /routerTransform`: a router request body (`{destType, input}`) → `{output: [...]}`, 200.
/// - `GET /health`: 200 `{"service":"UP"}`, for readiness checks.
///
/// A body that is not JSON, or JSON of the wrong shape, gets 400 with `{"error": "…"}` naming the place; an unknown
/// path 404 `{"message":"Route not found"}`; another method on a known path 405. Each request is answered on one
/// event-loop thread (parse, transform, write), like one single-threaded transformer process per loop; requests on
/// different connections run on different loops (``HTTPServerConfiguration/eventLoops``, default 2).
public final class TransformerServer: Sendable {
  /// The configuration it was created with.
  public let configuration: TransformerServerConfiguration
  private let server: HTTPServer

  /// A server; call ``start()`` to bind and serve.
  public init(configuration: TransformerServerConfiguration = TransformerServerConfiguration()) {
    self.configuration = configuration
    let transformer = TikTokAdsTransformer(options: configuration.options)
    server = HTTPServer(configuration: configuration.http) { request in
      TransformerRoutes.respond(to: request, transformer: transformer)
    }
  }

  /// Binds and serves; returns the port.
  /// - Throws: ``HTTP/HTTPServerError`` when the address cannot be bound (e.g. the port is taken).
  @discardableResult
  public func start() throws(HTTPServerError) -> UInt16 { try server.start() }

  /// Stops serving and closes every connection.
  public func stop() { server.stop() }

  /// `http://HOST:PORT`.
  public var baseURL: String { server.baseURL }

  /// The bound port.
  public var port: UInt16 { server.port }
}

/// rudder-transformer's routes, answered by the built-in transformer.
enum TransformerRoutes {
  static let processorPath = "/v0/destinations/tiktok_ads"
  static let routerPath = "/routerTransform"
  static let healthPath = "/health"

  static func respond(to request: HTTPRequest, transformer: TikTokAdsTransformer) -> HTTPResponse {
    let path = request.path
    switch path {
    case processorPath, routerPath:
      guard request.method == "POST" else { return methodNotAllowed("POST") }
      return path == processorPath ? processor(request.body, transformer) : router(request.body, transformer)
    case healthPath:
      guard request.method == "GET" || request.method == "HEAD" else { return methodNotAllowed("GET, HEAD") }
      return .json(200, Array(#"{"service":"UP"}"#.utf8))
    default:
      return .json(404, Array(#"{"message":"Route not found"}"#.utf8))
    }
  }

  /// One thread per request: the body is parsed, transformed and written on the event loop that received it.
  private static func processor(_ body: [UInt8], _ transformer: TikTokAdsTransformer) -> HTTPResponse {
    let result = body.withUnsafeBytes { raw in
      Result { () throws(ProcessorRequestError) in try transformer.processorResponseBytes(request: raw, workers: 1) }
    }
    switch result {
    case .success(let bytes): return .json(200, bytes)
    case .failure(let error): return badRequest(error.description)
    }
  }

  private static func router(_ body: [UInt8], _ transformer: TikTokAdsTransformer) -> HTTPResponse {
    let value: JSONValue
    do {
      value = try JSONValue.parse(body)
    } catch {
      return badRequest(error.description)
    }
    do {
      return .json(200, try transformer.routerResponse(for: value).compactBytes())
    } catch {
      return badRequest(error.description)
    }
  }

  private static func badRequest(_ message: String) -> HTTPResponse {
    .json(400, JSONValue.object(["error": .string(message)]).compactBytes())
  }

  private static func methodNotAllowed(_ allow: String) -> HTTPResponse {
    var response = HTTPResponse.json(405, Array(#"{"message":"Method Not Allowed"}"#.utf8))
    response.headers.add("Allow", allow)
    return response
  }
}
