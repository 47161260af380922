import Foundation
import Golden
import JSON
import Replay

/// `tiktok-harness replay [PATH ...]`: golden cases through a transformer, diffed and reported.
let replayCommand = Command(
  name: "replay",
  summary:
    "Replay golden cases (files, folders, vectors files; default Golden/) through the transformer and report every difference. A case is named by its path under the Golden/ folder it lives in (or the folder given), however the path is spelled. A run that selects no case fails unless --allow-empty. A live transformer that answers a non-2xx status or a body that is not a processor/router response is unreachable or wrong: the run stops there (exit 3) and --update writes nothing from it.",
  arguments: "[PATH ...]",
  options: [
    .value(
      "--transformer", "builtin|URL", help: "the built-in transformer (default) or a live rudder-transformer base URL"),
    .value("--filter", "GLOB", help: "only cases whose name matches (* matches across /)", repeatable: true),
    .value(
      "--shard", "K/N",
      help:
        "only shard K of N (K is 1-based: 1/4 … 4/4), by a stable hash of the case name; the N shards are disjoint and together run every selected case"
    ),
    .values("--report", arity: 2, "FORMAT FILE", help: "also write a json, junit or markdown report", repeatable: true),
    .flag(
      "--update",
      help:
        "rewrite the expected value of each failing case from the actual output (refused when CI is set; a run that stops unreachable writes nothing from the files in flight, 64 at a time on builtin and 512 on a live transformer, nor after them)"
    ),
    .flag("--strict", help: "skipped cases fail the run (exit 1), so a gate cannot pass on cases it did not run"),
    .flag("--allow-empty", help: "a run that selects no case passes (without it, it fails with exit 1)"),
    .value("--timeout", "SECONDS", help: "per-request timeout for a live transformer (default 30)"),
  ] + LiveOptions.specs + [
    .value(
      "--coverage", "FILE",
      help:
        "write which mapping rows the cases reached (JSON, rows no case reached first): fields × source per version, event names, checks, spec rules, batching rules; computed by the built-in transformer's traced run"
    ),
    .value("--coverage-md", "FILE", help: "the same coverage as a Markdown table"),
    .flag("--quiet", help: "no progress line"),
  ],
  examples: [
    "tiktok-harness replay",
    "tiktok-harness replay Golden/v2 --filter 'v2/event-*' --report junit out/junit.xml",
    "tiktok-harness replay --transformer http://localhost:9090 --strict --concurrency 8",
    "tiktok-harness replay --shard 2/4          # the second of four CI jobs",
    "tiktok-harness replay --coverage coverage.json --coverage-md coverage.md",
  ],
  exits: [
    .init(code: 0, meaning: "every selected case passed (or, with --allow-empty, none was selected)"),
    .init(
      code: 1,
      meaning: "a regression; with --strict, a skipped case; a run that selected no case (without --allow-empty)"),
    .init(code: 2, meaning: "a malformed or unreadable case, a missing path, bad usage"),
    .init(code: 3, meaning: "the transformer was unreachable or answered something that is not a response body"),
  ],
  run: { args in
    let reports = try ReportRequest.parse(args.all("--report"))
    let timeout = try args.seconds("--timeout", max: LiveTransformer.maxTimeout)
    let live = try LiveOptions.parse(args)
    let transformer = try makeTransformer(args.value("--transformer") ?? "builtin", timeout: timeout, live: live)
    let shard = try args.value("--shard").map { text throws(CLIError) -> CaseShard in
      do {
        return try CaseShard(parsing: text)
      } catch {
        throw .usage("--shard: \(error)")
      }
    }
    let update = args.has("--update")
    if update, let refusal = GoldenUpdater.refusal(environment: ProcessInfo.processInfo.environment) {
      throw CLIError.badInput(refusal)
    }
    var paths = args.positionals
    if paths.isEmpty {
      guard FileManager.default.fileExists(atPath: "Golden") else {
        throw CLIError.badInput("no Golden/ folder in \(FileManager.default.currentDirectoryPath); pass PATH ...")
      }
      paths = ["Golden"]
    }
    let globs = args.all("--filter").compactMap(\.first)
    let coverage = args.has("--coverage") || args.has("--coverage-md") ? CoverageCollector() : nil
    let runners: [any CaseRunner] = [
      TransformerRunner(transformer: transformer, coverage: coverage), DeliveryRunner(),
    ]
    let replayer = Replayer(runners: runners, filter: CaseFilter(globs: globs), shard: shard, update: update)
    let printer = ResultPrinter(keepAll: !reports.isEmpty, quiet: args.has("--quiet"))
    CrashNotice.install()  // a trap in the transformer names the case file it was replaying
    if let junit = reports.first(where: { $0.format == .junit }) { CrashNotice.armJUnit(path: junit.path) }
    var summary = replayer.run(
      GoldenCorpus(paths: paths),
      progress: { done, cases in printer.progress(filesDone: done, cases: cases) },
      onResult: printer.add)
    summary.skippedFail = args.has("--strict")
    summary.emptyFails = !args.has("--allow-empty")
    printer.finish(summary: summary, updateHint: update ? nil : updateHint(printer.results, paths: args.positionals))
    for report in reports { try report.write(printer.results, summary: summary, transformer: transformer.name) }
    if let coverage {
      try writeCoverage(coverage, json: args.value("--coverage"), markdown: args.value("--coverage-md"))
    }
    for line in LiveOptions.summaries([transformer]) { Console.err("tiktok-harness replay: \(line)\n") }
    let notices = ReplayNotices(summary: summary, shard: shard, paths: paths, globs: globs, update: update)
    for line in notices.lines { Console.err("tiktok-harness replay: \(line)\n") }
    return summary.exitStatus
  }
)

/// Writes the coverage reports asked for and prints their one-line summary on standard error.
private func writeCoverage(_ coverage: CoverageCollector, json: String?, markdown: String?) throws(CLIError) {
  let rows = coverage.rows()
  do {
    if let json { try Data(CoverageReport.json(rows).prettyString().utf8).write(to: URL(fileURLWithPath: json)) }
    if let markdown { try Data(CoverageReport.markdown(rows).utf8).write(to: URL(fileURLWithPath: markdown)) }
  } catch {
    throw .badInput("cannot write the coverage report: \(error.localizedDescription)")
  }
  Console.err(CoverageReport.summary(rows) + "\n")
}

/// The lines replay prints on standard error after its summary: why the run stopped, why it selected nothing,
/// what the shard held, why skipped cases failed it.
struct ReplayNotices {
  let summary: RunSummary
  let shard: CaseShard?
  let paths: [String]
  let globs: [String]
  let update: Bool

  var lines: [String] {
    var out: [String] = []
    if summary.unreachable {
      out.append(
        "error: the transformer could not be reached or did not answer with a response body; run stopped"
          + (update ? " (no golden file was rewritten from the cases in flight)" : ""))
    }
    if let shard, !summary.unreachable {
      let selected = summary.total + summary.otherShards
      if summary.total == 0 && selected > 0 {
        out.append("shard \(shard) holds none of the \(selected) selected cases (the other shards run them)")
      } else {
        out.append("shard \(shard): \(summary.total) of \(selected) selected cases")
      }
    }
    if summary.isEmpty && !summary.unreachable {
      let what =
        "\(paths.joined(separator: " "))\(globs.isEmpty ? "" : " with --filter " + globs.joined(separator: " "))"
      if summary.emptyFails {
        out.append(
          "error: no case ran: \(what) selected none; a gate that runs nothing fails (pass --allow-empty to accept this)"
        )
      } else {
        out.append("warning: no case ran: \(what) selected none (--allow-empty)")
      }
    }
    if summary.skippedFail && summary.skipped > 0 && summary.failed == 0 && summary.malformed == 0 {
      let cases = summary.skipped == 1 ? "1 skipped case fails" : "\(summary.skipped) skipped cases fail"
      out.append("\(cases) the run (--strict)")
    }
    return out
  }
}

/// The command that would accept the current failures, shown after a failing run.
private func updateHint(_ results: [CaseResult], paths: [String]) -> String? {
  let failed = results.filter { if case .failed = $0.outcome { return true } else { return false } }
  guard !failed.isEmpty else { return nil }
  var command = "swift run tiktok-harness replay"
  if !paths.isEmpty { command += " " + paths.map(shellQuote).joined(separator: " ") }
  if failed.count == 1 { command += " --filter \(shellQuote(failed[0].name))" }
  return "If these changes are intended, review them and run: \(command) --update"
}

/// `text` quoted for a POSIX shell when it holds anything but safe characters.
func shellQuote(_ text: String) -> String {
  let safe = text.unicodeScalars.allSatisfy {
    $0.properties.isAlphabetic || "0123456789-_./=:@%+".unicodeScalars.contains($0)
  }
  return safe && !text.isEmpty ? text : "'" + text.replacing("'", with: "'\\''") + "'"
}
