import Foundation
import JSON

/// Rewrites expected values in case files (`replay --update`), touching nothing but `expected`.
public enum GoldenUpdater {
  /// Why `--update` must not run in this environment, or `nil` when it may: it refuses when `CI` is set to
  /// anything but an empty string, `0` or `false`, so a CI retry can never pass by rewriting goldens.
  public static func refusal(environment: [String: String]) -> String? {
    guard let ci = environment["CI"] else { return nil }
    if ci.isEmpty || ci == "0" || ci.lowercased() == "false" { return nil }
    return "--update refuses to rewrite golden files when CI is set (CI=\(ci)); run it locally and commit the result"
  }

  /// Replaces `expected` of the case at each index (`nil`: the file's single case) and writes the file back as
  /// canonical JSON (sorted keys, 2-space indent).
  /// - Throws: ``GoldenError`` when the file can no longer be read, parsed or written.
  public static func rewrite(file: String, updates: [(index: Int?, expected: JSONValue)]) throws(GoldenError) {
    guard !updates.isEmpty else { return }
    guard let data = FileManager.default.contents(atPath: file) else {
      throw .unreadable(file: file, message: "cannot be read")
    }
    var document: JSONValue
    do {
      document = try JSONValue.parse([UInt8](data))
    } catch {
      throw .malformed(file: file, line: error.line, column: error.column, message: error.message)
    }
    for update in updates {
      switch (document, update.index) {
      case (.object(var object), nil):
        object["expected"] = update.expected
        document = .object(object)
      case (.array(var items), .some(let i)) where items.indices.contains(i):
        guard case .object(var object) = items[i] else { continue }
        object["expected"] = update.expected
        items[i] = .object(object)
        document = .array(items)
      default:
        throw .unwritable(file: file, message: "the file changed shape while replaying")
      }
    }
    try write(document, to: file)
  }

  /// Writes `value` as canonical JSON, atomically.
  public static func write(_ value: JSONValue, to file: String) throws(GoldenError) {
    do {
      let url = URL(fileURLWithPath: file)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(value.canonicalBytes()).write(to: url, options: .atomic)
    } catch {
      throw .unwritable(file: file, message: "\(error.localizedDescription)")
    }
  }
}
