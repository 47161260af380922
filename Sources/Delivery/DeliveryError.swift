import JSON

/// Why a document could not be read as requests to deliver, or a request could not be sent as given.
public enum DeliveryError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A member is missing or has the wrong type, at a JSON Pointer into the input document.
  case invalidRequest(pointer: String, message: String)
  /// The document is none of the accepted shapes.
  case unrecognizedInput(String)
  /// `--endpoint-base` (or an endpoint) is not a URL this client can use.
  case invalidURL(String)

  public var description: String {
    switch self {
    case .invalidRequest(let pointer, let message): return "\(pointer.isEmpty ? "/" : pointer): \(message)"
    case .unrecognizedInput(let m): return m
    case .invalidURL(let m): return m
    }
  }
}
