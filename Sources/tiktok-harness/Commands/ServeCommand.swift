import Foundation
import HTTP
import MockTikTok

/// `tiktok-harness serve`: the mock TikTok Events API until SIGINT/SIGTERM.
let serveCommand = Command(
  name: "serve",
  summary: "Run the mock TikTok Events API (contract validation, fault rules, journal, admin API under /__admin/).",
  arguments: "",
  options: [
    .value("--host", "HOST", help: "address to bind (default 127.0.0.1)"),
    .value("--port", "PORT", help: "port to bind; 0 picks a free one (default 0)"),
    .value(
      "--journal", "FILE",
      help:
        "append one JSON line per answered request, written before the response (under heavy load, a file on tmpfs such as /dev/shm/journal.jsonl keeps the latency tail short)"
    ),
    .value("--journal-limit", "N", help: "requests kept in memory for /__admin/requests (default 10000)"),
    .value("--scenario", "FILE", help: "fault rules (JSON); a bare name means MockServer/scenarios/NAME.json"),
    .value("--token", "TOKEN", help: "a valid Access-Token; other tokens get 40105", repeatable: true),
    .value("--allow", "TOKEN:PIXEL", help: "TOKEN may use only the listed pixels; others get 40001", repeatable: true),
    .value("--seed", "N", help: "seed for probability rules (overrides the scenario's)"),
    .value("--threads", "N", help: "event-loop threads (default 2)"),
    .value("--max-body", "BYTES", help: "largest request body; larger gets 413 (default 8 MiB)"),
    .value("--idle-timeout", "SECONDS", help: "close idle keep-alive connections after this (default 60)"),
    .value("--read-timeout", "SECONDS", help: "answer 408 when a request takes longer to arrive (default 10)"),
  ],
  examples: [
    "tiktok-harness serve --port 8081 --journal /tmp/journal.jsonl",
    "tiktok-harness serve --port 0 --scenario delivery-errors --token T1 --allow T1:PIXEL_A",
  ],
  exits: [
    .init(code: 0, meaning: "stopped by SIGINT or SIGTERM; the first stdout line was 'listening on http://HOST:PORT'"),
    .init(
      code: 2,
      meaning:
        "bad usage or scenario; the port is taken ('address already in use', even by another mock) or cannot be bound"
    ),
  ],
  run: { args in
    guard args.positionals.isEmpty else { throw CLIError.usage("serve takes no positional arguments") }
    var config = MockTikTokConfiguration()
    try ServerOptions.parse(args, into: &config.http)
    if let s = try args.seconds("--idle-timeout", max: HTTPServerConfiguration.maxTimeout) {
      config.http.idleTimeout = s
    }
    if let s = try args.seconds("--read-timeout", max: HTTPServerConfiguration.maxTimeout) {
      config.http.readTimeout = s
    }
    config.journalPath = args.value("--journal")
    if let n = try args.int("--journal-limit") {
      guard n >= 0 else { throw CLIError.usage("--journal-limit must be ≥ 0") }
      config.journalLimit = n
    }
    config.tokens = args.all("--token").compactMap(\.first)
    for value in args.all("--allow").compactMap(\.first) {
      guard let colon = value.firstIndex(of: ":"), colon != value.startIndex,
        value.index(after: colon) != value.endIndex
      else { throw CLIError.usage("--allow expects TOKEN:PIXEL, got '\(value)'") }
      config.allow[String(value[..<colon]), default: []].insert(String(value[value.index(after: colon)...]))
    }
    if let path = args.value("--scenario") { config.scenario = try loadScenario(path) }
    if let text = args.value("--seed") {
      guard let seed = UInt64(text) ?? Int64(text).map({ UInt64(bitPattern: $0) }) else {
        throw CLIError.usage("--seed expects an integer, got '\(text)'")
      }
      config.scenario.seed = seed
    }

    return try ServerOptions.runUntilSignalled("serve") {
      let mock = try MockTikTokServer(configuration: config)
      try mock.start()
      return (mock.baseURL, mock.stop)
    }
  }
)

/// Reads and validates a scenario file. A bare name (no `/`) that is not a file here is looked up as
/// `MockServer/scenarios/NAME[.json]` in the working directory, then beside the executable and in the folders
/// above it (so `swift run tiktok-harness serve --scenario delivery-errors` works from any folder).
private func loadScenario(_ path: String) throws(CLIError) -> Scenario {
  var file = path
  if !FileManager.default.fileExists(atPath: file) && !path.contains("/") {
    let name = path.hasSuffix(".json") ? path : path + ".json"
    let candidates =
      ["MockServer/scenarios/" + name] + executableAncestors().map { "\($0)/MockServer/scenarios/\(name)" }
    guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw .badInput(
        "\(path): no such scenario file; looked for \(path) and \(candidates.joined(separator: ", "))")
    }
    file = found
  }
  let bytes = try readInput(file)
  do {
    return try Scenario.parse(bytes, file: file)
  } catch {
    throw .badInput(error.description)
  }
}

/// The folder of the running executable (symlinks resolved) and every folder above it, nearest first.
private func executableAncestors() -> [String] {
  guard let real = realpath("/proc/self/exe", nil) else { return [] }
  defer { free(real) }
  var components = String(cString: real).split(separator: "/").map(String.init)
  var out: [String] = []
  while !components.isEmpty {
    components.removeLast()
    out.append("/" + components.joined(separator: "/"))
  }
  return out.map { $0 == "/" ? "" : $0 }
}
