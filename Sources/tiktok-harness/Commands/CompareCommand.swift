import Foundation
import Golden
import JSON
import Replay

/// `tiktok-harness compare CAPTURE --config DEST --transformer URL`: two transformers on the same events.
let compareCommand = Command(
  name: "compare",
  summary:
    "Run captured events (NDJSON, a JSON array of messages, or any form record accepts) through two transformers and report every difference. Exit 0 identical, 1 differences, 2 bad input, 3 unreachable.",
  usage: "CAPTURE|- --config DEST --transformer URL [--baseline builtin|URL] [--report json|junit|markdown FILE]",
  options: [
    .value("--config", "DEST", help: "a destination object or its Config object, for events that carry none"),
    .value("--transformer", "URL", help: "the transformer under test (a URL, or builtin)"),
    .value("--baseline", "builtin|URL", help: "the reference transformer (default: builtin)"),
    .values(
      "--report", arity: 2, "FORMAT FILE", help: "also write a json, junit or markdown report (repeatable)",
      repeatable: true),
    .value("--timeout", "SECONDS", help: "per-request timeout for live transformers (default 30)"),
  ],
  run: { args in
    guard args.positionals.count == 1 else { throw CLIError.usage("compare takes exactly one CAPTURE file (or -)") }
    guard let candidateSpec = args.value("--transformer") else {
      throw CLIError.usage("compare needs --transformer URL")
    }
    let reports = try ReportRequest.parse(args.all("--report"))
    let candidate = try makeTransformer(candidateSpec, timeout: args.value("--timeout"))
    let baseline = try makeTransformer(args.value("--baseline") ?? "builtin", timeout: args.value("--timeout"))
    let path = args.positionals[0]
    let documents: [JSONValue]
    do {
      documents = try Capture.parseDocuments(try readInput(path), file: displayName(path))
    } catch let error as GoldenError {
      throw CLIError.badInput("\(error)")  // names the file, line and column itself
    }
    var destination: JSONValue?
    if let configPath = args.value("--config") {
      do {
        destination = try Capture.destination(from: try readJSONDocument(configPath))
      } catch let error as GoldenError {
        throw CLIError.badInput("\(displayName(configPath)): \(error)")
      }
    }
    let items: [JSONValue]
    do {
      items = try Capture.processorItems(documents, destination: destination)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
    Console.out(
      "comparing \(items.count) event\(items.count == 1 ? "" : "s"): baseline \(baseline.name), candidate \(candidate.name)\n"
    )
    let printer = ResultPrinter(keepAll: !reports.isEmpty, quiet: true)
    let summary = Comparer(baseline: baseline, candidate: candidate).run(
      items: items, source: displayName(path), onResult: printer.add)
    printer.finish(summary: summary, updateHint: nil)
    for report in reports {
      try report.write(printer.results, summary: summary, transformer: "\(candidate.name) vs \(baseline.name)")
    }
    if summary.unreachable {
      Console.err(
        "tiktok-harness compare: error: a transformer could not be reached or did not answer JSON; run stopped\n")
    }
    return summary.exitStatus
  }
)
