import JSON

/// What RudderStack does with a delivered request, decided from the status the handler reports.
public enum DeliveryOutcome: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// 2xx: done.
  case success
  /// 4xx other than 429: dropped for good.
  case aborted
  /// 429: retried later, with back-off.
  case throttled
  /// 5xx: retried.
  case retryable

  /// The outcome rudder-server gives a proxy status: 2xx success, 429 throttled, 500 and above retryable,
  /// anything else aborted.
  public init(status: Int) {
    switch status {
    case 200..<300: self = .success
    case 429: self = .throttled
    case 500...: self = .retryable
    default: self = .aborted
    }
  }

  public var description: String { rawValue }
}

/// The response handler's verdict on one answer (spec §9.3): status, message and, for errors, the error type.
public struct Classification: Sendable, Equatable {
  /// The handler's status (200 on success; 429, 400 or the HTTP status on error).
  public var status: Int
  /// The handler's message.
  public var message: String
  /// `statTags.errorType` (`throttled`, `aborted`, `retryable`) when the handler raised an error; `nil` on success.
  public var errorType: String?
  /// The row of §9.3 that matched.
  public var rule: Rule

  /// The rows of §9.3, first match wins.
  public enum Rule: String, Sendable, Equatable {
    /// `code` 0 or 20001.
    case successCode
    /// `code` 40100.
    case throttledCode
    /// `code` 40001 or 40002.
    case abortedCode
    /// Anything else: a network error carrying the HTTP status.
    case httpStatus
  }

  /// What the caller does with it, from ``status``.
  public var outcome: DeliveryOutcome { DeliveryOutcome(status: status) }

  /// The message of a success.
  public static let successMessage = "[TIKTOK_ADS Response Handler] - Request Processed Successfully"

  /// Classifies `answer` exactly as upstream's TikTok Ads response handler does (spec §9.3).
  ///
  /// TikTok's JSON `code` is checked before the HTTP status: `{code: 0}` with HTTP 500 is a success, and HTTP 200
  /// with an unknown code is an error whose status is 200 (Q13).
  public static func classify(_ answer: DestinationResponse) -> Classification {
    let code = answer.response["code"].flatMap { $0.isNumber ? $0.doubleValue : nil }
    switch code {
    case 0, 20001:
      return Classification(status: 200, message: successMessage, errorType: nil, rule: .successCode)
    case 40100:
      return Classification(
        status: 429, message: "Request failed with status: 40100", errorType: "throttled", rule: .throttledCode)
    case 40001, 40002:
      let text = code == 40001 ? "40001" : "40002"
      return Classification(
        status: 400, message: "Request failed with status: \(text)", errorType: "aborted", rule: .abortedCode)
    default:
      return Classification(
        status: answer.status, message: "Request failed with status: \(answer.status)",
        errorType: dynamicErrorType(answer.status), rule: .httpStatus)
    }
  }

  /// Upstream's `getDynamicErrorType`: 500 and above `retryable`, 429 `throttled`, anything else `aborted`.
  public static func dynamicErrorType(_ status: Int) -> String {
    if status >= 500 { return "retryable" }
    return status == 429 ? "throttled" : "aborted"
  }
}
