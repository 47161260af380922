import Foundation
import Golden
import Replay

/// `tiktok-harness replay [PATH ...]`: golden cases through a transformer, diffed and reported.
let replayCommand = Command(
  name: "replay",
  summary:
    "Replay golden cases (files, folders, vectors files; default Golden/) through the transformer and report every difference. Exit 0 all passed, 1 regression, 2 malformed case, 3 transformer unreachable.",
  usage:
    "[PATH ...] [--transformer builtin|URL] [--filter GLOB] [--report json|junit|markdown FILE] [--update] [--strict]",
  options: [
    .value(
      "--transformer", "builtin|URL", help: "the built-in transformer (default) or a live rudder-transformer base URL"),
    .value(
      "--filter", "GLOB", help: "only cases whose name matches (repeatable; * matches across /)", repeatable: true),
    .values(
      "--report", arity: 2, "FORMAT FILE", help: "also write a json, junit or markdown report (repeatable)",
      repeatable: true),
    .flag(
      "--update", help: "rewrite the expected value of each failing case from the actual output (refused under CI)"),
    .flag("--strict", help: "skipped cases fail the run (exit 1), so a gate cannot pass on cases it did not run"),
    .value("--timeout", "SECONDS", help: "per-request timeout for a live transformer (default 30)"),
    .flag("--quiet", help: "no progress line"),
  ],
  run: { args in
    let reports = try ReportRequest.parse(args.all("--report"))
    let transformer = try makeTransformer(args.value("--transformer") ?? "builtin", timeout: args.value("--timeout"))
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
    let filter = CaseFilter(globs: args.all("--filter").compactMap(\.first))
    let runners: [any CaseRunner] = [TransformerRunner(transformer: transformer), DeliveryRunner()]
    let replayer = Replayer(runners: runners, filter: filter, update: update)
    let printer = ResultPrinter(keepAll: !reports.isEmpty, quiet: args.has("--quiet"))
    CrashNotice.install()  // a trap in the transformer names the case file it was replaying
    var summary = replayer.run(
      GoldenCorpus(paths: paths),
      progress: { done, cases in printer.progress(filesDone: done, cases: cases) },
      onResult: printer.add)
    summary.skippedFail = args.has("--strict")
    printer.finish(summary: summary, updateHint: update ? nil : updateHint(printer.results, paths: args.positionals))
    for report in reports { try report.write(printer.results, summary: summary, transformer: transformer.name) }
    if summary.unreachable {
      Console.err(
        "tiktok-harness replay: error: the transformer could not be reached or did not answer JSON; run stopped\n")
    }
    if summary.total == 0 { Console.err("tiktok-harness replay: warning: no cases matched\n") }
    if summary.skippedFail && summary.skipped > 0 && summary.failed == 0 && summary.malformed == 0 {
      let cases = summary.skipped == 1 ? "1 skipped case fails" : "\(summary.skipped) skipped cases fail"
      Console.err("tiktok-harness replay: \(cases) the run (--strict)\n")
    }
    return summary.exitStatus
  }
)

/// The transformer named by `--transformer`: `builtin` or an http(s) URL.
func makeTransformer(_ spec: String, timeout: String?) throws(CLIError) -> any Transformer {
  if spec == "builtin" { return BuiltinTransformer() }
  var seconds = 30.0
  if let timeout {
    guard let s = Double(timeout), s > 0 else { throw .usage("--timeout expects a positive number of seconds") }
    seconds = s
  }
  do {
    return try LiveTransformer(baseURL: spec, timeout: seconds)
  } catch {
    throw .usage("--transformer expects 'builtin' or an http:// or https:// URL, got '\(spec)'")
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
