import Foundation
import Golden
import JSON
import Replay

/// `tiktok-harness compare CAPTURE --config DEST --transformer URL`: two transformers on the same events.
let compareCommand = Command(
  name: "compare",
  summary:
    "Run captured events (NDJSON, a JSON array of messages, or any form record accepts) through two transformers and report every difference. Exit 0 identical, 1 differences, 2 bad input, 3 unreachable.",
  arguments: "CAPTURE|-",
  options: [
    .value("--transformer", "URL", help: "the transformer under test (a URL, or builtin)").requiredInUsage(),
    .value("--config", "DEST", help: "a destination object or its Config object, given to every event"),
    .value("--baseline", "builtin|URL", help: "the reference transformer (default: builtin)"),
    .values("--report", arity: 2, "FORMAT FILE", help: "also write a json, junit or markdown report", repeatable: true),
    .value("--timeout", "SECONDS", help: "per-request timeout for live transformers (default 30)"),
    .flag(
      "--show-personal-data",
      help:
        "print the capture's personal data and access token in clear in the differences and reports (masked by default)"
    ),
  ] + LiveOptions.specs,
  examples: [
    "tiktok-harness compare capture.ndjson --config dest.json --transformer http://localhost:9090",
    "tiktok-harness compare capture.json --config dest.json --baseline http://old:9090 --transformer http://new:9090",
  ],
  exits: [
    .init(code: 0, meaning: "both transformers answered every event identically"),
    .init(code: 1, meaning: "a difference"),
    .init(code: 2, meaning: "unreadable or malformed capture or destination, bad usage"),
    .init(code: 3, meaning: "a transformer was unreachable or answered something that is not a response body"),
  ],
  run: { args in
    guard args.positionals.count == 1 else { throw CLIError.usage("compare takes exactly one CAPTURE file (or -)") }
    guard let candidateSpec = args.value("--transformer") else {
      throw CLIError.usage("compare needs --transformer URL")
    }
    let reports = try ReportRequest.parse(args.all("--report"))
    let timeout = try args.seconds("--timeout", max: LiveTransformer.maxTimeout)
    let live = try LiveOptions.parse(args)
    let candidate = try makeTransformer(candidateSpec, timeout: timeout, live: live)
    let baseline = try makeTransformer(args.value("--baseline") ?? "builtin", timeout: timeout, live: live)
    let path = args.positionals[0]
    let items = try captureItems(try readInput(path), path: path, configPath: args.value("--config"))
    Console.out(
      "comparing \(items.count) event\(items.count == 1 ? "" : "s"): baseline \(baseline.name), candidate \(candidate.name)\n"
    )
    let printer = ResultPrinter(keepAll: !reports.isEmpty, quiet: true)
    // The capture's personal data stays out of the terminal and the reports (CI logs, artifacts) unless asked for.
    let masked = !args.has("--show-personal-data")
    let summary = Comparer(baseline: baseline, candidate: candidate).run(items: items, source: displayName(path)) {
      result, item in printer.add(masked ? PersonalDataMask.mask(result, item: item) : result)
    }
    printer.finish(summary: summary, updateHint: nil)
    for report in reports {
      try report.write(printer.results, summary: summary, transformer: "\(candidate.name) vs \(baseline.name)")
    }
    for line in LiveOptions.summaries([baseline, candidate]) { Console.err("tiktok-harness compare: \(line)\n") }
    if summary.unreachable {
      Console.err(
        "tiktok-harness compare: error: a transformer could not be reached or did not answer JSON; run stopped\n")
    }
    return summary.exitStatus
  }
)
