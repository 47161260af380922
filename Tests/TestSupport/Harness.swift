import Foundation
import JSON

/// The outcome of running the built `tiktok-harness` binary.
public struct ProcessResult: Sendable {
  /// The exit status.
  public let status: Int32
  /// Everything written to standard output.
  public let stdout: String
  /// Everything written to standard error.
  public let stderr: String
}

/// Locations the tests need: the package root, the built products, `../shared`.
public enum Paths {
  /// The package root (the folder holding Package.swift), found from this file's path.
  public static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }()

  /// `../shared` beside the package root (specs and conformance vectors), or the folder `TIKTOK_HARNESS_SHARED`
  /// names. Tests that need it skip when it is absent; pointing the variable at a missing folder shows how the suite
  /// behaves on a fresh clone with nothing beside it (`SharedFolderTests`).
  public static let shared: URL = {
    if let path = ProcessInfo.processInfo.environment["TIKTOK_HARNESS_SHARED"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
  }()

  /// `../shared/conformance/upstream`.
  public static let upstreamVectors: URL = shared.appendingPathComponent("conformance/upstream")

  /// `true` when the upstream vectors folder is present.
  public static var hasUpstreamVectors: Bool {
    FileManager.default.fileExists(atPath: upstreamVectors.appendingPathComponent("processor.json").path)
  }

  /// `../shared/conformance/differential` relative to the package root.
  public static let differentialVectors: URL = packageRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/conformance/differential")

  /// `true` when the differential corpus is present.
  public static var hasDifferentialVectors: Bool {
    FileManager.default.fileExists(atPath: differentialVectors.appendingPathComponent("processor.json").path)
  }

  /// The folder holding the built products (the test bundle's folder).
  public static let productsDirectory: URL = {
    let bundle = Bundle.main.bundleURL
    // `swift test` on Linux runs `<products>/<package>PackageTests.xctest`.
    return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
  }()

  /// The built `tiktok-harness` executable, or the one `TIKTOK_HARNESS_BINARY` names (to run the CLI tests against
  /// another build, e.g. to see which of them fail on an older commit).
  public static var harnessBinary: URL {
    if let path = ProcessInfo.processInfo.environment["TIKTOK_HARNESS_BINARY"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return productsDirectory.appendingPathComponent("tiktok-harness")
  }
}

/// Runs the built CLI end to end.
public enum Harness {
  /// Runs `tiktok-harness ARGS` with optional standard input, environment additions and working directory.
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    currentDirectory: URL? = nil, timeout: TimeInterval = 120
  ) throws -> ProcessResult {
    try runProcess(
      Paths.harnessBinary, arguments, stdin: stdin.map { Data($0.utf8) }, environment: environment,
      currentDirectory: currentDirectory ?? Paths.packageRoot, timeout: timeout)
  }

  /// Runs any executable, collecting its output; stdout and stderr are drained concurrently to avoid pipe stalls.
  public static func runProcess(
    _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
    currentDirectory: URL, timeout: TimeInterval = 120
  ) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = currentDirectory
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "CI")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      outData = outPipe.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
      errData = errPipe.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try? inPipe.fileHandleForWriting.close()
    if group.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      group.wait()
    }
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A fresh temporary folder, removed by ``TemporaryDirectory/remove()``.
public struct TemporaryDirectory: Sendable {
  /// The folder.
  public let url: URL

  /// Creates a unique folder under the system temporary directory.
  public init(prefix: String = "tiktok-harness-test") throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Writes `text` to `name` inside the folder (creating subfolders) and returns its URL.
  @discardableResult
  public func write(_ name: String, _ text: String) throws -> URL {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }

  /// Removes the folder and everything in it.
  public func remove() { try? FileManager.default.removeItem(at: url) }
}

extension JSONValue {
  /// What JavaScript's `JSON.parse(JSON.stringify(v))` gives for this value: numbers as the doubles JavaScript
  /// holds (``JSON/JSONValue/javaScriptNumbers()``), non-finite ones `null`. Compact text must parse back to it.
  public var javaScriptRoundTrip: JSONValue {
    switch javaScriptNumbers() {
    case .double(let d) where !d.isFinite: return .null
    case .array(let items): return .array(items.map(\.javaScriptRoundTrip))
    case .object(let object): return .object(JSONObject(object.entries.map { ($0.key, $0.value.javaScriptRoundTrip) }))
    case let other: return other
    }
  }
}
