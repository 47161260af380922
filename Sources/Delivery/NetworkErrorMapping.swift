/// How upstream turns a Node.js system error code into a synthetic status and message when a request gets no
/// HTTP answer (`nodeSysErrorToStatus` in rudder-transformer's `src/adapters/utils/networkUtils.js`, spec §9.2).
///
/// The table is upstream's behaviour, messages included (two of them carry upstream's typos: `EISDIR` says
/// `[EEXIST]` and `ENOTEMPTY` ends in `)`). A code not in the table gets status 400 and the message `[CODE]`.
///
/// The socket client cannot always tell the exact code Node would report, so ``DeliveryClient`` chooses:
/// - a connection closed before a complete answer is `ECONNRESET` (Node: "socket hang up", code `ECONNRESET`);
/// - a timeout of ours is `ETIMEDOUT` (500, retried). Upstream's axios sets no timeout of its own, so the
///   timeout it meets is the kernel's `ETIMEDOUT`; axios's own `ECONNABORTED` (400) is never produced here;
/// - a host name that does not resolve is `ENOTFOUND` (400, aborted: what upstream does on a DNS failure);
/// - a malformed answer is `HPE_INVALID_CONSTANT` (Node's HTTP parser), which falls to the 400 default.
public enum NetworkErrorMapping {
  /// A synthetic status and the message the handler sees as `response`.
  public struct Mapped: Sendable, Equatable {
    /// The synthetic HTTP status.
    public var status: Int
    /// The message, e.g. `[ECONNRESET] :: Connection reset by peer`.
    public var message: String
  }

  /// The mapping of `code`: the table entry, or `{400, "[CODE]"}`.
  public static func map(_ code: String) -> Mapped {
    if let known = table[code] { return Mapped(status: known.0, message: known.1) }
    return Mapped(status: 400, message: "[\(code)]")
  }

  /// The codes upstream knows, with status and message.
  static let table: [String: (Int, String)] = [
    "EACCES": (400, "[EACCES] :: Permission denied"),
    "EADDRINUSE": (400, "[EADDRINUSE] :: Address already in use"),
    "ECONNREFUSED": (500, "[ECONNREFUSED] :: Connection refused"),
    "ECONNRESET": (500, "[ECONNRESET] :: Connection reset by peer"),
    "EEXIST": (400, "[EEXIST] :: File exists"),
    "EISDIR": (400, "[EEXIST] :: Is a directory"),
    "EMFILE": (400, "[EMFILE] :: Too many open files in system"),
    "ENOENT": (400, "[ENOENT] :: No such file or directory"),
    "ENOTDIR": (400, "[ENOTDIR] :: Not a directory"),
    "ENOTEMPTY": (400, "[ENOTEMPTY] :: Directory not empty)"),
    "ENOTFOUND": (400, "[ENOTFOUND] :: DNS lookup failed"),
    "EPERM": (400, "[EPERM] :: Operation not permitted"),
    "EPIPE": (400, "[EPIPE] :: Broken pipe"),
    "ETIMEDOUT": (500, "[ETIMEDOUT] :: Operation timed out"),
  ]
}
