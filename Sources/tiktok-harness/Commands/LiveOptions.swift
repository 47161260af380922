import Replay

/// `--concurrency` and batching, shared by `replay` and `compare`: how a live transformer is kept busy.
enum LiveOptions {
  /// The options, as listed in `--help`.
  static let specs: [OptionSpec] = [
    .value(
      "--concurrency", "N",
      help:
        "requests in flight at once to a live transformer, each on its own keep-alive connection (\(LiveTransformer.concurrencyRange.lowerBound)...\(LiveTransformer.concurrencyRange.upperBound), default \(LiveTransformer.defaultConcurrency); no effect on builtin)"
    ),
    .value(
      "--batch-size", "N",
      help:
        "events per processor request when cases share one (\(LiveTransformer.batchItemsRange.lowerBound)...\(LiveTransformer.batchItemsRange.upperBound), default \(LiveTransformer.defaultBatchItems)); cases share a request only when their answers can be mapped back exactly (distinct metadata), else each goes alone"
    ),
    .flag("--no-batch", help: "send every case to a live transformer in a request of its own (same as --batch-size 1)"),
  ]

  /// The settings given on the command line (defaults otherwise).
  static func parse(_ args: ParsedArguments) throws(CLIError) -> (concurrency: Int, batchItems: Int) {
    let concurrency = try args.int("--concurrency") ?? LiveTransformer.defaultConcurrency
    guard LiveTransformer.concurrencyRange.contains(concurrency) else {
      throw .usage(
        "--concurrency must be \(LiveTransformer.concurrencyRange.lowerBound)...\(LiveTransformer.concurrencyRange.upperBound), got \(concurrency)"
      )
    }
    var batchItems = try args.int("--batch-size") ?? LiveTransformer.defaultBatchItems
    guard LiveTransformer.batchItemsRange.contains(batchItems) else {
      throw .usage(
        "--batch-size must be \(LiveTransformer.batchItemsRange.lowerBound)...\(LiveTransformer.batchItemsRange.upperBound), got \(batchItems)"
      )
    }
    if args.has("--no-batch") {
      guard !args.has("--batch-size") else { throw .usage("--no-batch and --batch-size cannot be given together") }
      batchItems = 1
    }
    return (concurrency, batchItems)
  }

  /// One line per live transformer among `transformers`: the requests it was sent and how cases shared them.
  static func summaries(_ transformers: [any Transformer]) -> [String] {
    transformers.compactMap { transformer in
      guard let live = transformer as? LiveTransformer else { return nil }
      return "\(live.baseURL): \(live.statistics.summary(concurrency: live.concurrency))"
    }
  }
}

/// The transformer named by `--transformer` (or `--baseline`, `--against`): `builtin` or an http(s) URL.
func makeTransformer(
  _ spec: String, timeout: Double?,
  live: (concurrency: Int, batchItems: Int) = (LiveTransformer.defaultConcurrency, LiveTransformer.defaultBatchItems)
) throws(CLIError) -> any Transformer {
  if spec == "builtin" { return BuiltinTransformer() }
  do {
    return try LiveTransformer(
      baseURL: spec, timeout: timeout ?? 30, concurrency: live.concurrency, batchItems: live.batchItems)
  } catch {
    throw .usage("--transformer expects 'builtin' or an http:// or https:// URL, got '\(spec)'")
  }
}
