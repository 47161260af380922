import JSON
import TikTokAds

/// `tiktok-harness explain [FILE|-]`: each output field with its input source, the steps applied and the spec rules
/// that fired; the input fields nothing read.
let explainCommand = Command(
  name: "explain",
  summary:
    "Explain what the built-in transformer makes of events: for every output field, the input field it was read from (a JSON Pointer, or the default or constant it is), the steps applied in order and each spec rule that fired (Q1-Q21, R1-R18) with its consequence; for an error item, the check that failed and the input it looked at; then the input fields nothing read. Input: what transform takes.",
  arguments: "[FILE|-]",
  options: [
    .value(
      "--config", "DEST", help: "a destination object or its Config object (JSON file), given to every captured event"),
    .flag("--router", help: "route the events through the router (batching) and explain the batches"),
    .flag(
      "--json",
      help:
        "print it as data: [{item, input, request, output: [{pointer, value, source, steps, rules}], rules, unused, error?}]"
    ),
    .value("--max-batch-v2", "N", help: "Events 2.0 batch limit (default 1000)"),
  ],
  examples: [
    "tiktok-harness explain event.json --config dest.json",
    "tiktok-harness explain request.json --json | jq '.[0].unused'",
    "tiktok-harness explain events.ndjson --config dest.json --router --max-batch-v2 3",
  ],
  exits: [
    .init(code: 0, meaning: "the explanation was printed (per-event errors are explained in it)"),
    .init(code: 2, meaning: "unreadable or malformed input, an input of the wrong shape, bad usage"),
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
    let router = args.has("--router")
    let request = try transformRequest(
      try readInput(path), path: path, configPath: args.value("--config"), router: router)
    let traced: TracedResponse
    do {
      traced =
        router
        ? try transformer.tracedRouterResponse(for: request) : try transformer.tracedProcessorResponse(for: request)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    let explanations = Explanation.of(traced, request: request)
    Console.out(args.has("--json") ? Explanation.json(explanations).prettyString() : Explanation.text(explanations))
    return ExitStatus.ok
  }
)
