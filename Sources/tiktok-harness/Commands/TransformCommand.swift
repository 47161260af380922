import JSON
import TikTokAds

/// `tiktok-harness transform [FILE|-]`: one request body through the built-in transformer.
let transformCommand = Command(
  name: "transform",
  summary:
    "Run a processor request body (or, with --router, a router request body) through the built-in transformer and print the response body.",
  usage: "[FILE|-] [--router] [--max-batch-v2 N] [--pretty]",
  options: [
    .flag("--router", help: "input is a router request body {destType, input}; print the router response"),
    .value("--max-batch-v2", "N", help: "Events 2.0 batch limit (default 1000; upstream router vectors use 3)"),
    .value("--max-batch-v1", "N", help: "Events 1.0 batch limit (default 50)"),
    .flag("--pretty", help: "indent the output (2 spaces, keys in output order)"),
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
    if !args.has("--router") && !args.has("--pretty") {
      // The processor path streams large arrays through all cores (same output as the value path).
      let bytes = try readInput(path)
      let result = bytes.withUnsafeBytes { raw in
        Result { () throws(ProcessorRequestError) in try transformer.processorResponseBytes(request: raw) }
      }
      switch result {
      case .success(let out): Console.out(String(decoding: out, as: UTF8.self) + "\n")
      case .failure(.malformed(let e)): throw CLIError.badInput("\(displayName(path)):\(e)")
      case .failure(.shape(let e)): throw CLIError.badInput("\(displayName(path)): \(e)")
      }
      return ExitStatus.ok
    }
    let request = try readJSONDocument(path)
    let response: JSONValue
    do {
      response =
        args.has("--router")
        ? try transformer.routerResponse(for: request) : try transformer.processorResponse(for: request)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    Console.out(args.has("--pretty") ? response.prettyString() : response.compactString() + "\n")
    return ExitStatus.ok
  }
)

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
