import JSON
import TikTokAds

/// `tiktok-harness explain [FILE|-]`: each output field with its input source, the steps applied and the spec rules
/// that fired; the input fields nothing read.
let explainCommand = Command(
  name: "explain",
  summary:
    "Explain what the built-in transformer makes of a request: each output field's source, steps and spec rules, and the input fields nothing read.",
  usage: "[FILE|-] [--router] [--json] [--max-batch-v2 N]",
  options: [
    .flag("--router", help: "input is a router request body {destType, input}"),
    .flag(
      "--json",
      help: "print the explanation as JSON: [{item, output: [{pointer, value, source, steps, rules}], unused, error?}]"),
    .value("--max-batch-v2", "N", help: "Events 2.0 batch limit (default 1000)"),
  ],
  run: { args in
    guard args.positionals.count <= 1 else { throw CLIError.usage("explain takes at most one FILE") }
    let path = args.positionals.first ?? "-"
    var options = TikTokAdsTransformer.Options()
    if let n = try args.int("--max-batch-v2") {
      guard n > 0 else { throw CLIError.usage("--max-batch-v2 must be positive") }
      options.maxBatchSizeV2 = n
    }
    let transformer = TikTokAdsTransformer(options: options)
    let request = try readJSONDocument(path)
    let traced: TracedResponse
    do {
      traced =
        args.has("--router")
        ? try transformer.tracedRouterResponse(for: request) : try transformer.tracedProcessorResponse(for: request)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    let explanations = Explanation.of(traced, request: request)
    Console.out(args.has("--json") ? Explanation.json(explanations).prettyString() : Explanation.text(explanations))
    return ExitStatus.ok
  }
)
