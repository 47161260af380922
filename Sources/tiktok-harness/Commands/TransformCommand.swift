import Golden
import JSON
import TikTokAds

/// `tiktok-harness transform [FILE|-]`: a request body, or captured events with `--config`, through the built-in
/// transformer.
let transformCommand = Command(
  name: "transform",
  summary:
    "Run events through the built-in transformer and print the response body. Input: a processor request body (an array of {message, destination, metadata}); or, with --config DEST, what record and compare take (a bare RudderStack message, an array of them, a /v1/batch body, NDJSON); with --router, a router request body {destType, input} or those captured events batched together.",
  arguments: "[FILE|-]",
  options: [
    .value(
      "--config", "DEST", help: "a destination object or its Config object (JSON file), given to every captured event"),
    .flag("--router", help: "route the events through the router (batching); print the router response"),
    .value("--max-batch-v2", "N", help: "Events 2.0 batch limit (default 1000; upstream router vectors use 3)"),
    .value("--max-batch-v1", "N", help: "Events 1.0 batch limit (default 50)"),
    .flag("--pretty", help: "indent the output (2 spaces, keys in output order)"),
  ],
  examples: [
    "tiktok-harness transform request.json --pretty",
    "tiktok-harness transform event.json --config dest.json           # a captured message",
    "tiktok-harness transform events.ndjson --config dest.json --router --max-batch-v2 3",
  ],
  exits: [
    .init(code: 0, meaning: "the response was printed (per-event errors are items in it)"),
    .init(code: 2, meaning: "unreadable or malformed input, an input of the wrong shape, bad usage"),
  ],
  run: { args in
    guard args.positionals.count <= 1 else { throw CLIError.usage("transform takes at most one FILE") }
    let path = args.positionals.first ?? "-"
    var options = TikTokAdsTransformer.Options()
    if let n = try args.int("--max-batch-v2") {
      guard n > 0 else { throw CLIError.usage("--max-batch-v2 must be positive") }
      options.maxBatchSizeV2 = n
    }
    if let n = try args.int("--max-batch-v1") {
      guard n > 0 else { throw CLIError.usage("--max-batch-v1 must be positive") }
      options.maxBatchSizeV1 = n
    }
    let transformer = TikTokAdsTransformer(options: options)
    let configPath = args.value("--config")
    let router = args.has("--router")
    // A large request file is mapped, not copied (a third of the time of a 38 MB request went to the copy).
    var mapped = configPath == nil && !router && !args.has("--pretty") ? try mapInput(path) : nil
    if let file = mapped, !startsWith("[", file.bytes) { mapped = nil }  // not a request body: the general path
    let bytes = mapped == nil ? try readInput(path) : []
    // Without --config, an array is a processor request body and an object with `input` a router request body,
    // exactly as rudder-transformer takes them; anything else is captured events.
    let requestBody =
      mapped != nil || configPath == nil && (router ? isRouterBody(bytes) : startsWith("[", bytes))
    if requestBody && !router && !args.has("--pretty") {
      // The processor path takes large arrays through all cores (same output as the value path), and writes the
      // response piece by piece once it is complete.
      let respond = { (raw: UnsafeRawBufferPointer) in
        Result { () throws(ProcessorRequestError) in
          try transformer.writeProcessorResponse(request: raw) { Console.out(bytes: $0) }
        }
      }
      let result = mapped.map { respond($0.bytes) } ?? bytes.withUnsafeBytes(respond)
      switch result {
      case .success: Console.out("\n")
      case .failure(.malformed(let e)): throw CLIError.badInput("\(displayName(path)):\(e)")
      case .failure(.shape(let e)): throw CLIError.badInput("\(displayName(path)): \(e)")
      }
      return ExitStatus.ok
    }
    let request = try transformRequest(bytes, path: path, configPath: configPath, router: router)
    let response: JSONValue
    do {
      response = router ? try transformer.routerResponse(for: request) : try transformer.processorResponse(for: request)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    Console.out(args.has("--pretty") ? response.prettyString() : response.compactString() + "\n")
    return ExitStatus.ok
  }
)

/// The request body for what `transform` (and `explain`) accept: a processor or router request body as given, or
/// captured events (with `--config DEST`) made into one.
func transformRequest(_ bytes: [UInt8], path: String, configPath: String?, router: Bool) throws(CLIError) -> JSONValue {
  if configPath == nil && (router ? isRouterBody(bytes) : startsWith("[", bytes)) {
    do {
      return try JSONValue.parse(bytes)
    } catch {
      throw .badInput("\(displayName(path)):\(error)")
    }
  }
  let items = JSONValue.array(try captureItemsExplained(bytes, path: path, configPath: configPath, router: router))
  return router ? ["destType": "tiktok_ads", "input": items] : items
}

/// ``captureItems(_:path:configPath:)``; without `--config`, the error also says which request body was expected.
private func captureItemsExplained(_ bytes: [UInt8], path: String, configPath: String?, router: Bool) throws(CLIError)
  -> [JSONValue]
{
  do {
    return try captureItems(bytes, path: path, configPath: configPath)
  } catch {
    guard configPath == nil else { throw error }
    let body = router ? "a router request body {destType, input}" : "a processor request body (an array)"
    throw .badInput("expected \(body), or captured events with --config DEST; \(error)")
  }
}

/// `true` when `bytes` hold one JSON object with an `input` member (a router request body).
private func isRouterBody(_ bytes: [UInt8]) -> Bool {
  guard startsWith("{", bytes), let value = try? JSONValue.parse(bytes) else { return false }
  return value["input"] != nil
}

/// The name used for `path` in messages (`<stdin>` for `-`).
func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

/// Reads and parses one JSON document, reporting `FILE:LINE:COLUMN: what was expected` on failure.
func readJSONDocument(_ path: String) throws(CLIError) -> JSONValue {
  let bytes = try readInput(path)
  do {
    return try JSONValue.parse(bytes)
  } catch {
    throw .badInput("\(displayName(path)):\(error)")
  }
}
