import Foundation
import JSON

#if canImport(Glibc)
  import Glibc
#endif

/// The case files named on a command line: files, folders walked recursively for `*.json`, and vectors files.
///
/// Nothing is read up front: folders are listed one at a time as the walk reaches them (each folder's entries in
/// UTF-8 byte order, hidden entries skipped), and each file is read and parsed when its turn comes
/// (``CaseFile/load()``), so a corpus of any size is replayed with the memory of one folder listing and one file.
///
/// Case names do not depend on how a path was spelled: a case is named by its path relative to the corpus root,
/// the innermost folder named `Golden` that holds it (found on the real path, so `.`, `..` and symlinks resolve;
/// it may be above the path given or below it), or else the folder given on the command line; a file given alone
/// outside any `Golden` folder is named by its stem. So `replay`, `replay Golden/v1` and `replay Golden/v1/x.json` all name a case `v1/x`. A file reached
/// twice (`replay Golden Golden/v1`) is walked once.
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
    // Only paths that overlap (one inside another, or the same twice) can reach a file twice; without such paths,
    // nothing is remembered, so the walk keeps the memory of one folder listing.
    var seen = Set<String>()
    let reals = paths.map { Self.realPath($0) ?? $0 }  // a pipe (`<(curl …)`) has no real path
    let overlapping = reals.indices.contains { i in
      reals.indices.contains { j in i != j && (reals[i] == reals[j] || reals[i].hasPrefix(reals[j] + "/")) }
    }
    for (path, real) in zip(paths, reals) {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        guard body(.problem(.unreadable(file: path, message: "no such file or folder"))) else { return }
        continue
      }
      if isDirectory.boolValue {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let walk = FolderWalk(given: prefix, real: real == "/" ? "/" : real + "/")
        let names = Self.namePrefix(ofFolder: real)
        guard walkFolder(walk, relative: "", namePrefix: names, dedupe: overlapping, fm: fm, seen: &seen, body) else {
          return
        }
      } else {
        guard !overlapping || seen.insert(real).inserted else { continue }
        guard body(.file(CaseFile(path: path, baseName: Self.nameForFile(real: real)))) else { return }
      }
    }
  }

  /// A folder given on the command line: its path as given (for messages) and its real path (for duplicates).
  private struct FolderWalk {
    let given: String
    let real: String
  }

  /// Walks `relative` under `folder`; `namePrefix` is that folder's path under the corpus root (a `Golden` folder
  /// met on the way becomes the root).
  private func walkFolder(
    _ folder: FolderWalk, relative: String, namePrefix: String, dedupe: Bool, fm: FileManager,
    seen: inout Set<String>, _ body: (Item) -> Bool
  ) -> Bool {
    guard let names = try? fm.contentsOfDirectory(atPath: folder.given + relative) else {
      return body(.problem(.unreadable(file: folder.given + relative, message: "folder cannot be read")))
    }
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
      let child = relative + name
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: folder.given + child, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        let prefix = name == "Golden" ? "" : namePrefix + name + "/"
        guard walkFolder(folder, relative: child + "/", namePrefix: prefix, dedupe: dedupe, fm: fm, seen: &seen, body)
        else {
          return false
        }
      } else if name.hasSuffix(".json") {
        guard !dedupe || seen.insert(folder.real + child).inserted else { continue }
        let file = CaseFile(path: folder.given + child, baseName: namePrefix + String(name.dropLast(5)))
        guard body(.file(file)) else { return false }
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

  /// The absolute path with symlinks, `.` and `..` resolved, or `nil` when it cannot be resolved.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The name prefix of the files in folder `real` (a real path): its path under the innermost `Golden` folder
  /// at or above it, with a trailing `/` (empty for the `Golden` folder itself, or for a folder outside one).
  static func namePrefix(ofFolder real: String) -> String {
    let components = real.split(separator: "/").map(String.init)
    guard let golden = components.lastIndex(of: "Golden"), golden < components.count - 1 else { return "" }
    return components[(golden + 1)...].joined(separator: "/") + "/"
  }

  /// The name of a case file given directly (`real` is its real path): its path under the innermost `Golden`
  /// folder above it, else its stem.
  static func nameForFile(real: String) -> String {
    var components = real.split(separator: "/").map(String.init)
    if let golden = components.dropLast().lastIndex(of: "Golden") {
      components = Array(components[(golden + 1)...])
    } else {
      components = [components.last ?? real]
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
  public func load() -> [Entry] { load(skippingSingleCaseUnless: { _ in true }) }

  /// Reads the file and, unless it holds a single case object whose name (``baseName``) `wanted` rejects, parses
  /// it: one entry for a case file, one per element for a vectors file. A rejected single case costs a read and
  /// no parse (replay with `--filter` or `--shard` over a large corpus); it gives no entry.
  public func load(skippingSingleCaseUnless wanted: (String) -> Bool) -> [Entry] {
    let bytes: [UInt8]
    switch FileBytes.read(path) {
    case .success(let b): bytes = b
    case .failure(let error):
      return [.malformed(name: baseName, file: path, index: nil, error: .unreadable(file: path, message: "\(error)"))]
    }
    if let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
      first == UInt8(ascii: "{"), !wanted(baseName)
    {
      return []
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
      let message = error.namesPointer ? "\(JSONPointer(tokens: tokens)): \(error.message)" : error.message
      let err = GoldenError.malformed(file: path, line: line, column: column, message: message)
      return .malformed(name: name, file: path, index: index, error: err)
    }
  }
}
