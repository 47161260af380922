import Foundation
import JSON

/// The case files named on a command line: files, folders walked recursively for `*.json`, and vectors files.
///
/// Only paths are gathered up front; each file is read and parsed when its turn comes (``CaseFile/load()``), so a
/// corpus of any size is replayed with the memory of one file.
public struct GoldenCorpus: Sendable {
  /// The case files, in command-line order, each folder's files sorted by path.
  public private(set) var files: [CaseFile] = []
  /// Paths that could not be read at all (missing, unreadable).
  public private(set) var problems: [GoldenError] = []

  /// Gathers the files under `paths` (default: the `Golden` folder).
  public init(paths: [String]) {
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        problems.append(.unreadable(file: path, message: "no such file or folder"))
        continue
      }
      guard isDirectory.boolValue else {
        files.append(CaseFile(path: path, baseName: Self.nameForFile(path)))
        continue
      }
      guard let walker = fm.enumerator(atPath: path) else {
        problems.append(.unreadable(file: path, message: "folder cannot be read"))
        continue
      }
      var found: [String] = []
      while let relative = walker.nextObject() as? String {
        let last = (relative as NSString).lastPathComponent
        if last.hasPrefix(".") {
          walker.skipDescendants()
          continue
        }
        if relative.hasSuffix(".json") { found.append(relative) }
      }
      found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      let prefix = path.hasSuffix("/") ? path : path + "/"
      for relative in found {
        files.append(CaseFile(path: prefix + relative, baseName: String(relative.dropLast(5))))
      }
    }
  }

  /// The name of a case file given directly: its path under a `Golden` folder if it is in one, else its stem.
  static func nameForFile(_ path: String) -> String {
    var components = path.split(separator: "/").map(String.init)
    if let golden = components.lastIndex(of: "Golden"), golden < components.count - 1 {
      components = Array(components[(golden + 1)...])
    } else {
      components = [components.last ?? path]
    }
    var name = components.joined(separator: "/")
    if name.hasSuffix(".json") { name.removeLast(5) }
    return name
  }
}

/// One file of cases: a single case object, or a vectors file (a JSON array of case objects).
public struct CaseFile: Sendable {
  /// The path, as given or joined with its folder.
  public let path: String
  /// The case name for a single-case file; the prefix of unnamed vectors elements.
  public let baseName: String

  /// One entry of a loaded file: a case, or a case that could not be read.
  public enum Entry: Sendable {
    /// A well-formed case.
    case loaded(GoldenCase)
    /// A case (or the whole file, when `index` is `nil`) that could not be read, with the reason.
    case malformed(name: String, file: String, index: Int?, error: GoldenError)
  }

  /// Creates a file entry.
  public init(path: String, baseName: String) {
    self.path = path
    self.baseName = baseName
  }

  /// Reads and parses the file: one entry for a case file, one per element for a vectors file.
  public func load() -> [Entry] {
    guard let data = FileManager.default.contents(atPath: path) else {
      return [.malformed(name: baseName, file: path, index: nil, error: .unreadable(file: path, message: "cannot be read"))]
    }
    let bytes = [UInt8](data)
    let value: JSONValue
    do {
      value = try JSONValue.parse(bytes)
    } catch {
      let err = GoldenError.malformed(file: path, line: error.line, column: error.column, message: error.message)
      return [.malformed(name: baseName, file: path, index: nil, error: err)]
    }
    switch value {
    case .array(let elements):
      var entries: [Entry] = []
      entries.reserveCapacity(elements.count)
      for (i, element) in elements.enumerated() {
        let name = element["name"]?.stringValue ?? "\(baseName)/\(i < 10 ? "0" : "")\(i)"
        entries.append(makeEntry(name: name, index: i, value: element, bytes: bytes))
      }
      return entries
    case .object:
      return [makeEntry(name: baseName, index: nil, value: value, bytes: bytes)]
    default:
      let err = GoldenError.malformed(
        file: path, line: 1, column: 1, message: "expected a case object or an array of cases, found \(value.typeName)")
      return [.malformed(name: baseName, file: path, index: nil, error: err)]
    }
  }

  private func makeEntry(name: String, index: Int?, value: JSONValue, bytes: [UInt8]) -> Entry {
    do {
      return .loaded(try GoldenCase(name: name, file: path, index: index, value: value))
    } catch {
      var tokens = error.pointer.tokens
      if let index { tokens.insert(String(index), at: 0) }
      let (line, column) = JSONLocator.position(of: tokens, in: bytes)
      let err = GoldenError.malformed(file: path, line: line, column: column, message: error.message)
      return .malformed(name: name, file: path, index: index, error: err)
    }
  }
}
