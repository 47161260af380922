import JSON
import SHA256

/// Replaces personal data in captured events with stable stand-ins: the same input always gives the same
/// stand-in, so relationships survive (one user keeps one id) and a recorded case replays identically forever.
///
/// Redacted: emails (by key, and any email-shaped text anywhere), phone numbers, first/last/full names and trait
/// names, IP addresses, user/anonymous/external ids, device advertising ids, street addresses and postcodes, and
/// access tokens. Stand-ins keep the JSON type, surrounding whitespace, and the shape of pre-hashed values
/// (64 hex digits stay 64 hex digits), so the transformer takes the same paths as with the original.
public struct Redactor: Sendable {
  /// A redactor.
  public init() {}

  /// The stand-in for access tokens and other secrets; derived from nothing, so it reveals nothing.
  public static let secretStandIn = "redacted-access-token"

  /// `value` with personal data replaced, at any depth.
  public func redact(_ value: JSONValue) -> JSONValue { redact(value, key: nil, parentKey: nil) }

  enum Field {
    case email, phone, name, ip, userID, externalID, deviceID, address, postcode, secret
  }

  private static func normalise(_ key: String) -> String {
    String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
  }

  private static func field(for key: String, parentKey: String?) -> Field? {
    let k = normalise(key)
    if k.contains("email") { return .email }
    if k.contains("phone") { return .phone }
    switch k {
    case "firstname", "lastname", "fullname", "middlename", "username": return .name
    case "name":
      let parent = parentKey.map(normalise)
      return parent == "traits" || parent == "user" || parent == "address" ? .name : nil
    case "ip", "requestip", "ipaddress": return .ip
    case "userid", "anonymousid", "previousid": return .userID
    case "externalid", "external_id": return .externalID
    case "advertisingid", "idfa", "gaid", "idfv", "adid": return .deviceID
    case "street", "address1", "address2", "streetaddress", "line1", "line2": return .address
    case "zip", "zipcode", "postalcode", "postcode": return .postcode
    case "accesstoken", "token", "authorization", "apikey", "secret", "password": return .secret
    default: return nil
    }
  }

  private func redact(_ value: JSONValue, key: String?, parentKey: String?) -> JSONValue {
    switch value {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      // `context.externalId: [{type, id}]`: the `id` member is the identifier.
      let isExternalIdEntry =
        object["type"]?.stringValue != nil && object["id"] != nil
        && parentKey.map(Self.normalise) == "externalid"
      for entry in object.entries {
        if isExternalIdEntry && entry.key == "id" {
          out.appendUnchecked(entry.key, standIn(entry.value, as: .externalID))
        } else if let field = Self.field(for: entry.key, parentKey: key) {
          out.appendUnchecked(entry.key, standIn(entry.value, as: field))
        } else {
          out.appendUnchecked(entry.key, redact(entry.value, key: entry.key, parentKey: key))
        }
      }
      return .object(out)
    case .array(let items):
      return .array(items.map { redact($0, key: key, parentKey: parentKey) })
    case .string(let s):
      return .string(Self.replacingEmails(in: s))
    default:
      return value
    }
  }

  private func standIn(_ value: JSONValue, as field: Field) -> JSONValue {
    switch value {
    case .array(let items): return .array(items.map { standIn($0, as: field) })
    case .object(let object):
      if field == .externalID || field == .secret {
        var out = JSONObject(minimumCapacity: object.count)
        for e in object.entries { out.appendUnchecked(e.key, standIn(e.value, as: field)) }
        return .object(out)
      }
      return redact(value, key: nil, parentKey: nil)
    case .string(let s): return .string(Self.standIn(s, as: field))
    case .int, .double, .numberLiteral:
      guard field != .secret else { return .string(Self.secretStandIn) }
      let digits = Self.digits(Self.digest(value.compactString(), field), count: 10)
      return .int(Int64(field == .phone ? "1555" + digits.prefix(7) : "9" + digits.prefix(8)) ?? 0)
    default: return value
    }
  }

  /// The stand-in for string `s`; whitespace around it is kept (trimming is behaviour worth replaying).
  static func standIn(_ s: String, as field: Field) -> String {
    let core = s.trimmingWhitespace()
    guard !core.isEmpty else { return s }
    let lead = String(s.prefix(while: \.isWhitespace))
    let trail = String(String(s.reversed()).prefix(while: \.isWhitespace).reversed())
    return lead + standInCore(core, as: field) + trail
  }

  private static func standInCore(_ s: String, as field: Field) -> String {
    if field == .secret { return secretStandIn }
    let h = digest(s, field)
    if isHex64(s) { return h }
    let short = String(h.prefix(8))
    let upper = s.first?.isUppercase == true
    switch field {
    case .email: return (upper ? "Redacted" : "redacted") + "-\(short)@example.com"
    case .phone: return (s.hasPrefix("+") ? "+" : "") + "1555" + String(digits(h, count: 7))
    case .name: return (upper ? "Name" : "name") + "-\(short)"
    case .ip:
      if s.contains(":") { return "2001:db8::\(h.prefix(4))" }
      return "192.0.2.\(Int(UInt8(h.prefix(2), radix: 16) ?? 0) % 254 + 1)"
    case .userID: return "user-\(short)"
    case .externalID: return "external-\(short)"
    case .deviceID:
      let u = Array(h.prefix(32))
      return [u[0..<8], u[8..<12], u[12..<16], u[16..<20], u[20..<32]].map { String($0) }.joined(separator: "-")
    case .address: return "\(Int(UInt16(h.prefix(3), radix: 16) ?? 1) % 999 + 1) Redacted Street"
    case .postcode: return String(digits(h, count: 5))
    case .secret: return secretStandIn
    }
  }

  private static func digest(_ s: String, _ field: Field) -> String {
    SHA256.hexDigest(Array("tiktok-harness-redact:\(field):\(s)".utf8))
  }

  private static func digits(_ hex: String, count: Int) -> Substring {
    let all = String(hex.unicodeScalars.map { Character(String(($0.value % 10))) })
    return all.prefix(count)
  }

  private static func isHex64(_ s: String) -> Bool {
    s.utf8.count == 64
      && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
  }

  /// `text` with every email-shaped run (`local@domain.tld`) replaced by its stand-in.
  static func replacingEmails(in text: String) -> String {
    guard text.contains("@") else { return text }
    let chars = Array(text)
    func isLocal(_ c: Character) -> Bool { c.isLetter || c.isNumber || "._%+-".contains(c) }
    func isDomain(_ c: Character) -> Bool { c.isLetter || c.isNumber || ".-".contains(c) }
    var out = ""
    var i = 0
    var copiedUpTo = 0
    while i < chars.count {
      guard chars[i] == "@" else {
        i += 1
        continue
      }
      var start = i
      while start > copiedUpTo, isLocal(chars[start - 1]) { start -= 1 }
      var end = i + 1
      while end < chars.count, isDomain(chars[end]) { end += 1 }
      while end > i + 1, chars[end - 1] == "." || chars[end - 1] == "-" { end -= 1 }
      let domain = chars[(i + 1)..<end]
      if start < i, domain.contains("."), domain.last?.isLetter == true {
        out += String(chars[copiedUpTo..<start])
        out += standInCore(String(chars[start..<end]), as: .email)
        copiedUpTo = end
        i = end
      } else {
        i += 1
      }
    }
    out += String(chars[copiedUpTo...])
    return out
  }
}

extension String {
  /// The string without leading and trailing whitespace (FoundationEssentials-free).
  func trimmingWhitespace() -> String {
    let scalars = Substring(self).drop(while: \.isWhitespace)
    return String(String(scalars.reversed()).drop(while: \.isWhitespace).reversed())
  }
}
