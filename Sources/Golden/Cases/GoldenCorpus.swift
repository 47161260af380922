import Foundation
import JSON

/// The case files named on a command line: files, folders walked recursively for `*.json`, and vectors files.
///
/// Nothing is read up front: folders are listed one at a time as the walk reaches them (each folder's entries in
/// UTF-8 byte order, hidden entries skipped), and each file is read and parsed when its turn comes
/// (``CaseFile/load()``), so a corpus of any size is replayed with the memory of one folder listing and one file.
public struct GoldenCorpus: Sendable {
  /// The paths given, in order.
  public let paths: [String]

  /// A corpus over `paths` (files or folders).
  public init(paths: [String]) {
    self.paths = paths
  }

  /// One step of the walk: a case file, or a path that could not be read at all.
  public enum Item: Sendable {
    /// A file to load.
    case file(CaseFile)
    /// A missing or unreadable path.
    case problem(GoldenError)
  }

  /// Walks the paths lazily, calling `body` for each file or problem in order; `body` returns `false` to stop.
  public func walk(_ body: (Item) -> Bool) {
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        guard body(.problem(.unreadable(file: path, message: "no such file or folder"))) else { return }
        continue
      }
      if isDirectory.boolValue {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        guard walkFolder(prefix, relative: "", fm: fm, body) else { return }
      } else {
        guard body(.file(CaseFile(path: path, baseName: Self.nameForFile(path)))) else { return }
      }
    }
  }

  private func walkFolder(_ root: String, relative: String, fm: FileManager, _ body: (Item) -> Bool) -> Bool {
    guard let names = try? fm.contentsOfDirectory(atPath: root + relative) else {
      return body(.problem(.unreadable(file: root + relative, message: "folder cannot be read")))
    }
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
      let child = relative + name
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: root + child, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        guard walkFolder(root, relative: child + "/", fm: fm, body) else { return false }
      } else if name.hasSuffix(".json") {
        guard body(.file(CaseFile(path: root + child, baseName: String(child.dropLast(5))))) else { return false }
      }
    }
    return true
  }

  /// Every case file, in walk order (reads every folder listing; for tests and small corpora).
  public var files: [CaseFile] {
    var out: [CaseFile] = []
    walk { item in
      if case .file(let f) = item { out.append(f) }
      return true
    }
    return out
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
    let bytes: [UInt8]
    switch FileBytes.read(path) {
    case .success(let b): bytes = b
    case .failure(let error):
      return [.malformed(name: baseName, file: path, index: nil, error: .unreadable(file: path, message: "\(error)"))]
    }
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
