import JSON

/// Keeps access tokens out of reports and terminal output: values under a secret-named key are never printed.
public enum SecretMask {
  /// Member names whose values are secrets (compared case-insensitively).
  public static let secretKeys: Set<String> = [
    "access-token", "accesstoken", "access_token", "authorization", "secret",
  ]

  /// `true` when the last reference token of `pointer` names a secret.
  public static func isSecret(_ pointer: JSONPointer) -> Bool {
    guard let last = pointer.tokens.last else { return false }
    return isSecretKey(last)
  }

  /// `true` when `key` names a secret.
  public static func isSecretKey(_ key: String) -> Bool { secretKeys.contains(key.lowercased()) }

  /// A stand-in that shows only the length: `"<secret: 17 characters>"`.
  public static func mask(_ secret: String) -> String { "\"<secret: \(secret.count) characters>\"" }

  /// `value` with every string under a secret-named key replaced by a mask, at any depth.
  public static func scrub(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for entry in object.entries {
        if isSecretKey(entry.key), case .string(let s) = entry.value {
          out.appendUnchecked(entry.key, .string("<secret: \(s.count) characters>"))
        } else {
          out.appendUnchecked(entry.key, scrub(entry.value))
        }
      }
      return .object(out)
    case .array(let items): return .array(items.map(scrub))
    default: return value
    }
  }
}
