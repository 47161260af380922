import JSON
import SHA256

/// Replaces personal data in processor request items `{message, metadata, destination}`, default-deny: every
/// string leaf gets a stand-in except the values the TikTok mapping needs as they are (``RedactionRules``), so a
/// key nobody listed (`properties.shipping.recipient`, `mobile`) is redacted too.
///
/// Stand-ins are stable (the same value always gives the same stand-in, wherever it sits, so one user keeps one id
/// and a destination's ID still matches its metadata) and format-preserving, so the transformer takes the same
/// paths as with the original (``StandIn``): an email stays an email, a phone keeps its digits' count and
/// separators, a URL keeps its scheme, host and parameter names, a UUID stays a UUID, empty stays empty,
/// surrounding white space and letter case are kept. Numbers are kept, except under keys that name personal data
/// (phones, postcodes, user ids), where they keep their digit count. Access tokens become ``secretStandIn``.
/// Dynamic config templates (`{{ message.x || "default" }}`) keep their structure; the default is redacted as the
/// value of its key would be.
public struct Redactor: Sendable {
  /// A redactor.
  public init() {}

  /// The stand-in for access tokens and other secrets; derived from nothing, so it reveals nothing.
  public static let secretStandIn = "redacted-access-token"

  /// `item` (a processor request item) with personal data replaced, at any depth.
  public func redact(_ item: JSONValue) -> JSONValue { redact(item, path: []) }

  private func redact(_ value: JSONValue, path: [String]) -> JSONValue {
    switch value {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for entry in object.entries { out.appendUnchecked(entry.key, redact(entry.value, path: path + [entry.key])) }
      return .object(out)
    case .array(let items):
      return .array(items.map { redact($0, path: path + ["#"]) })
    case .string(let s):
      let rule = RedactionRules.rule(for: path)
      if RedactionRules.allowsTemplates(path), let template = DynamicTemplate(s) {
        return .string(template.replacingDefault { Self.replace($0, rule: rule) })
      }
      return .string(Self.replace(s, rule: rule))
    case .int, .double, .numberLiteral:
      return RedactionRules.isPersonalNumber(path) ? StandIn.number(value) : value
    default:
      return value
    }
  }

  private static func replace(_ s: String, rule: RedactionRules.Rule) -> String {
    switch rule {
    case .keep: return s
    case .secret: return s.isEmpty ? s : secretStandIn
    case .standIn: return StandIn.string(s)
    }
  }
}

/// Where the redactor keeps a value, and how it treats the rest. Paths are member names from the request item
/// (`message`, `destination`, `metadata`), `#` for any array element.
public enum RedactionRules {
  /// What happens to a string.
  public enum Rule: Sendable, Equatable {
    /// Kept verbatim: the mapping needs it as it is.
    case keep
    /// An access token or other secret: ``Redactor/secretStandIn``.
    case secret
    /// A stable, format-preserving stand-in.
    case standIn
  }

  /// Kept verbatim: what decides the route through the mapping (spec §2, §4, §7; upstream-divergences R3).
  static let kept: [[String]] = [
    ["message", "type"], ["message", "event"],
    ["message", "channel"], ["message", "context", "mappedToDestination"],  // R3: Reverse-ETL timestamps
    ["message", "context", "os", "name"],  // §7.4 device-id pruning
    ["message", "context", "externalId", "#", "type"],  // §5: only `tiktokExternalId` entries are read
    ["message", "properties", "att_status"],  // §7.1 enumeration
    ["message", "properties", "eventSource"], ["message", "properties", "event_source"],  // §7.5 enumeration
    ["message", "properties", "currency"],
    ["message", "properties", "content_type"], ["message", "properties", "contentType"],
    ["message", "properties", "contents", "#", "content_type"],
    ["message", "properties", "products", "#", "contentType"],
    ["destination", "Config", "version"], ["destination", "Config", "hashUserProperties"],
    ["destination", "Config", "sendCustomEvents"],
  ]

  /// Kept verbatim with everything below them.
  static let keptTrees: [[String]] = [
    ["destination", "Config", "eventsToStandard"],  // from/to must keep matching the (kept) event names
    ["destination", "DestinationDefinition"],  // the product's definition, not the customer's
  ]

  /// Member names (lower case, `_` and `-` removed) whose numbers are personal data.
  static let personalNumberKeys: Set<String> = [
    "phone", "phonenumber", "mobile", "mobilephone", "tel", "telephone", "cell", "cellphone", "fax", "zip", "zipcode",
    "postalcode", "postcode", "userid", "anonymousid", "previousid", "externalid", "ssn", "ttclid", "ttp",
  ]

  /// The rule for a string at `path`.
  public static func rule(for path: [String]) -> Rule {
    if let last = path.last, isSecretKey(last) { return .secret }
    if isKept(path) { return .keep }
    return .standIn
  }

  /// `true` when a string at `path` is kept verbatim (so it must itself hold no personal data).
  public static func isKept(_ path: [String]) -> Bool {
    if kept.contains(path) { return true }
    if keptTrees.contains(where: { path.starts(with: $0) }) { return true }
    return path.first == "message" && path.last.map(isTimestampKey) == true
  }

  /// `true` for a member that holds a date the mapping parses (`timestamp`, `originalTimestamp`, `sentAt`, …).
  public static func isTimestampKey(_ key: String) -> Bool {
    let k = normalise(key)
    return k.contains("timestamp") || k == "sentat" || k == "receivedat"
  }

  /// `true` when a number at `path` is personal data (a phone, a postcode, an id).
  static func isPersonalNumber(_ path: [String]) -> Bool {
    guard let last = path.last else { return false }
    if personalNumberKeys.contains(normalise(last)) { return true }
    // `context.externalId[].id`
    return last == "id" && path.count >= 3 && path[path.count - 2] == "#" && path[path.count - 3] == "externalId"
  }

  /// Config strings may be dynamic templates (upstream-divergences R4).
  static func allowsTemplates(_ path: [String]) -> Bool { path.starts(with: ["destination", "Config"]) }

  /// Secret-named members: access tokens, API keys, passwords.
  static func isSecretKey(_ key: String) -> Bool {
    if SecretMask.isSecretKey(key) { return true }
    return ["token", "apikey", "password", "accesstoken", "authorization", "secret"].contains(normalise(key))
  }

  static func normalise(_ key: String) -> String {
    String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
  }
}

/// A dynamic config value `{{ PATH || DEFAULT }}` (upstream-divergences R4), split so that the default can be
/// redacted and everything else kept byte for byte.
struct DynamicTemplate {
  /// Everything up to the default's first character, the default, and everything after its last.
  let head: String
  let value: String
  let tail: String

  /// `nil` unless `text`, trimmed, reads `{{ … || … }}`.
  init?(_ text: String) {
    let chars = Array(text)
    var first = 0
    var last = chars.count
    while first < last, chars[first].isWhitespace { first += 1 }
    while last > first, chars[last - 1].isWhitespace { last -= 1 }
    guard last - first >= 6, chars[first] == "{", chars[first + 1] == "{", chars[last - 1] == "}",
      chars[last - 2] == "}",
      let bar = (first + 2..<last - 3).first(where: { chars[$0] == "|" && chars[$0 + 1] == "|" })
    else { return nil }
    var start = bar + 2
    var end = last - 2
    while start < end, chars[start].isWhitespace || chars[start] == "\"" { start += 1 }
    while end > start, chars[end - 1].isWhitespace || chars[end - 1] == "\"" { end -= 1 }
    head = String(chars[..<start])
    value = String(chars[start..<end])
    tail = String(chars[end...])
  }

  /// The template with its default replaced by `transform(default)`.
  func replacingDefault(_ transform: (String) -> String) -> String {
    head + (value.isEmpty ? "" : transform(value)) + tail
  }
}

extension String {
  /// The string without leading and trailing whitespace (FoundationEssentials-free).
  func trimmingWhitespace() -> String {
    guard let first = first, let last = last, first.isWhitespace || last.isWhitespace else { return self }
    let scalars = Substring(self).drop(while: \.isWhitespace)
    return String(String(scalars.reversed()).drop(while: \.isWhitespace).reversed())
  }

}
