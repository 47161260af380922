import Golden
import JSON
import Minimize

/// What `minimize` never takes out of a request: the envelope that makes it a request rudder-transformer routes.
///
/// - Every event item keeps `message`, `destination` and `metadata` (their contents may shrink), the destination
///   keeps its `Config`, and `metadata.jobId` and `destination.ID` are never changed: RudderStack always sends them,
///   the processor echoes `metadata`, and the router groups events by `destination.ID` and orders its output by
///   `jobId`.
/// - A processor body stays a non-empty array; a router body keeps `destType` unchanged (it picks the destination
///   handler) and a non-empty `input` array.
///
/// Everything else may go, as long as the difference stays: a minimized case is 1-minimal over the members and
/// items outside this envelope.
public enum RequestEnvelope {
  /// The protection for a request body sent to `route` (processor or router).
  public static func protection(for route: Route) -> Protection {
    let item = route.kind == .router ? "/input/*" : "/*"
    let kept = ["\(item)/message", "\(item)/destination", "\(item)/metadata", "\(item)/destination/Config"]
    var frozen = ["\(item)/metadata/jobId", "\(item)/destination/ID"]
    var nonEmpty = [""]
    if route.kind == .router {
      frozen.append("/destType")
      nonEmpty = ["/input"]
    }
    return Protection(
      kept: kept.map(pointer) + (route.kind == .router ? [pointer("/input")] : []), frozen: frozen.map(pointer),
      nonEmpty: nonEmpty.map(pointer))
  }

  private static func pointer(_ text: String) -> JSONPointer {
    (try? JSONPointer(parsing: text)) ?? .root
  }
}
