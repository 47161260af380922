import JSON

/// R4: dynamic config. A string anywhere in `destination.Config` that, trimmed, reads `{{ PATH || DEFAULT }}` is
/// replaced by the value at PATH in the request item (`event.` standing for `message.`), and that field is then
/// deleted from the item; when the value there is `undefined` or `null`, DEFAULT (every `"` removed, trimmed) is
/// used. Anything else stays literal: no `||`, a PATH that is not dotted identifiers, no `{{ }}` around it.
enum DynamicConfig {
  /// Resolves the templates of `item.destination.Config` into `event`, unless `destination.hasDynamicConfig` is
  /// exactly `false`. `event` holds `item`'s members (its message perhaps changed by earlier steps).
  ///
  /// A Config without `{{` in any string has no template and is left as it is (nothing is copied).
  /// - Throws: R4/R13: upstream reads `destination.Config` first, so a `null` or absent destination throws.
  static func resolve(_ event: inout PreparedEvent, item: JSONRef, trace: TransformTrace? = nil)
    throws(TransformError)
  {
    let destination = event.destination
    if destination?["hasDynamicConfig"]?.boolValue == false { return }
    guard let destination else {
      throw trace.failing(
        .runtime("Cannot read properties of undefined (reading 'Config')"), Check.nullDestination,
        at: ["destination"], isV2: nil)
    }
    guard destination.isObject else {
      if destination.isNull {
        throw trace.failing(
          .runtime("Cannot read properties of null (reading 'Config')"), Check.nullDestination,
          at: ["destination"], isV2: nil)
      }
      return  // a primitive destination has no Config: the destination code then fails on it
    }
    guard let config = destination["Config"], mayHoldTemplates(config) else { return }
    // Templates: resolved on the item as values, as upstream does, then read in place again.
    var fields = item.value.objectValue ?? JSONObject()
    fields["message"] = event.message.value
    resolve(in: &fields, destination: destination.value.objectValue ?? JSONObject(), trace: trace)
    let resolved = JSONTape(.object(fields), numbers: .javaScript).root
    event = PreparedEvent(
      message: resolved["message"] ?? EmptyObject.ref, destination: resolved["destination"],
      metadata: resolved["metadata"])
  }

  /// `true` when a string somewhere in `value` (keys included) reads as a template: only then does resolving change
  /// anything (a string that merely contains `{{`, such as `{{PIXEL-CODE}}`, stays literal).
  private static func mayHoldTemplates(_ value: JSONRef) -> Bool {
    value.containsString { text in
      var i = 1
      while i < text.count {
        if text[i] == UInt8(ascii: "{") && text[i - 1] == UInt8(ascii: "{") {
          return Template(String(decoding: text, as: UTF8.self)) != nil
        }
        i += 1
      }
      return false
    }
  }

  /// Resolves the templates of `destination.Config` against `item` in place.
  private static func resolve(in item: inout JSONObject, destination: JSONObject, trace: TransformTrace?) {
    guard let config = destination["Config"] else { return }
    var fields = destination
    let resolved = configure(config, at: ["destination", "Config"], item: &item, trace: trace)
    // The item's destination may have lost a member a template read (`destination.…` paths); keep that.
    if case .object(let current)? = item["destination"] { fields = current }
    fields["Config"] = resolved
    item["destination"] = .object(fields)
  }

  private static func configure(
    _ value: JSONValue, at path: [String], item: inout JSONObject, trace: TransformTrace?
  ) -> JSONValue {
    switch value {
    case .string(let text): return resolveTemplate(text, at: path, item: &item, trace: trace)
    case .array(let items):
      return .array(items.enumerated().map { configure($1, at: path + [String($0)], item: &item, trace: trace) })
    case .object(let object):
      var out = JSONObject(minimumCapacity: object.count)
      for entry in object {
        out.appendUnchecked(entry.key, configure(entry.value, at: path + [entry.key], item: &item, trace: trace))
      }
      return .object(out)
    default: return value
    }
  }

  private static func resolveTemplate(
    _ text: String, at configPath: [String], item: inout JSONObject, trace: TransformTrace?
  ) -> JSONValue {
    guard text.contains("{{"), let template = Template(text) else { return .string(text) }
    let path = template.path.hasPrefix("event.") ? "message." + template.path.dropFirst(6) : template.path
    let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    trace?.hit(.rule(.r4))
    if let value = ItemPath.get(.object(item), components), !value.isNull {
      ItemPath.unset(&item, components, value: value)
      trace?.read(components)
      trace?.move(configPath, from: components, rule: .r4)
      return value
    }
    // The template's default: the value stays the Config's own, with R4 noted.
    trace?.move(configPath, from: configPath, rule: .r4)
    return .string(String(template.defaultValue.unicodeScalars.filter { $0 != "\"" }).jsTrimmed)
  }

  /// `{{ PATH || DEFAULT }}`, parsed as upstream does (without a regular expression).
  struct Template {
    let path: String
    let defaultValue: String

    init?(_ text: String) {
      let trimmed = text.jsTrimmed
      guard trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.utf8.count >= 4 else { return nil }
      let content = String(trimmed.dropFirst(2).dropLast(2)).jsTrimmed
      guard let bar = content.firstRange(of: "||") else { return nil }
      path = String(content[..<bar.lowerBound]).jsTrimmed
      defaultValue = String(content[bar.upperBound...]).jsTrimmed
      guard Self.isDottedIdentifiers(path) else { return nil }
    }

    /// `^[A-Z_a-z]\w*(\.[A-Z_a-z]\w*)*$` (ASCII word characters).
    static func isDottedIdentifiers(_ path: String) -> Bool {
      guard !path.isEmpty else { return false }
      for segment in path.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
        guard let first = segment.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        guard segment.allSatisfy({ $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }) else {
          return false
        }
      }
      return true
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
  }
}

/// The `get-value` and `unset-value` packages on a request item, as far as JSON can tell them apart.
enum ItemPath {
  /// `get(item, path)`: walks objects and arrays; a key that contains dots is found by joining segments, as
  /// `get-value` does; `nil` (undefined) when a step is missing or is not a container.
  static func get(_ root: JSONValue, _ components: [String]) -> JSONValue? {
    var target = root
    var i = 0
    while i < components.count {
      guard target.isJSObject else { return nil }
      var key = components[i]
      if let next = member(target, key) {
        target = next
      } else {
        var found = false
        var j = i + 1
        while j < components.count {
          key += "." + components[j]
          if let next = member(target, key) {
            target = next
            i = j
            found = true
            break
          }
          j += 1
        }
        guard found else { return nil }
      }
      i += 1
    }
    return target
  }

  private static func member(_ container: JSONValue, _ key: String) -> JSONValue? {
    switch container {
    case .object(let object): return object[key]
    case .array(let items): return Int(key).flatMap { items.indices.contains($0) ? items[$0] : nil }
    default: return nil
    }
  }

  /// `unset(item, path)` after a successful `get`: deletes the member when `has-value` calls `value` non-empty
  /// (an empty string, array or object is left where it is, as upstream leaves it).
  static func unset(_ item: inout JSONObject, _ components: [String], value: JSONValue) {
    switch value {
    case .string(let s) where s.isEmpty: return
    case .array(let a) where a.isEmpty: return
    case .object(let o) where o.isEmpty: return
    default: break
    }
    var root = JSONValue.object(item)
    root.removeMember(at: components[...])
    item = root.objectValue ?? item
  }
}

extension JSONValue {
  /// Deletes the member at `components` (objects only), leaving everything else as it is.
  fileprivate mutating func removeMember(at components: ArraySlice<String>) {
    guard let key = components.first else { return }
    let rest = components.dropFirst()
    modifyObject { object in
      if rest.isEmpty {
        _ = object.removeValue(forKey: key)
      } else {
        _ = object.modifyValue(forKey: key) { child in child.removeMember(at: rest) }
      }
    }
  }
}
