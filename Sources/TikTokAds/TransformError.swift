/// Why one event could not be transformed. Each case maps to upstream's error class, status and statTags.
public enum TransformError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Upstream `InstrumentationError`: status 400, `errorType: "instrumentation"`.
  case instrumentation(String)
  /// Upstream `ConfigurationError`: status 400, `errorType: "configuration"`.
  case configuration(String)
  /// Q21: an input that makes upstream's JavaScript throw; status 500, `errorCategory: "transformation"` only.
  case runtime(String)

  /// The error message, exactly as upstream words it for instrumentation and configuration errors.
  public var description: String {
    switch self {
    case .instrumentation(let m), .configuration(let m), .runtime(let m): return m
    }
  }

  /// The per-event HTTP-style status: 400 for validation errors, 500 for runtime errors.
  public var statusCode: Int64 {
    switch self {
    case .instrumentation, .configuration: return 400
    case .runtime: return 500
    }
  }
}

/// A request body that is not the shape rudder-transformer accepts (not an array of events, no `input`, ...).
public struct RequestShapeError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Where, as a JSON Pointer into the request body (`""` for the whole body).
  public let pointer: String
  /// What was expected there.
  public let expected: String

  /// Creates an error at `pointer`.
  public init(pointer: String, expected: String) {
    self.pointer = pointer
    self.expected = expected
  }

  public var description: String {
    pointer.isEmpty ? "request body: expected \(expected)" : "request body at \(pointer): expected \(expected)"
  }
}
