/// TikTok business codes the mock answers with (see `tiktok-events-api.md` §3b) and their messages.
public enum TikTokCode {
  public static let ok = 0
  public static let partialOK = 20001
  public static let permissionError = 40001
  public static let paramError = 40002
  public static let invalidBatchSize = 40061
  public static let requestTooFrequent = 40100
  public static let emptyAccessToken = 40104
  public static let invalidAccessToken = 40105
  public static let routeNotFound = 40400
  public static let systemError = 50000

  /// The message TikTok sends with `code` (observed where known; a plausible text otherwise).
  public static func defaultMessage(_ code: Int, pixel: String = "") -> String {
    switch code {
    case ok: return "OK"
    case partialOK: return "Partial success"
    case 40000: return "Invalid parameters."
    case permissionError:
      return
        "No permission to operate pixel code: \(pixel). You must be an admin or operator of this advertiser account."
    case paramError: return "Invalid parameters."
    case invalidBatchSize: return "Invalid batch size."
    case 40062: return "PII fields must be SHA-256 hashed."
    case requestTooFrequent: return "Too many requests. Please retry in some time."
    case 40102: return "Access token has expired."
    case emptyAccessToken: return "Access token is null"
    case invalidAccessToken: return "Access token is incorrect or has been revoked."
    case routeNotFound: return "Route not found."
    case systemError: return "System error."
    case 50002: return "System timeout."
    case 51010: return "Internal service timed out. Please retry in sometime."
    default: return "Error"
    }
  }
}
