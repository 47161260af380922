import Dispatch
import Foundation
import Golden
import JSON
import Minimize
import Replay

/// The default `--max-tries`: a realistic 10 KB event needed at most 190 tries for the planted differences measured
/// in BENCHMARKS.md ("Minimize"), 388 with the transformer before; this is ten times that or more.
let defaultMaxTries = 4000

/// `tiktok-harness minimize CAPTURE --transformer A --against B`: the smallest event with the same difference.
let minimizeCommand = Command(
  name: "minimize",
  summary:
    "Shrink a captured event (any form record accepts) by delta debugging while two transformers keep differing on it in exactly the same way (the same differing output pointers, array indices as *, and kinds), then write it as a golden case (expected: the --against transformer's answer). Exit 0 minimized, 1 no difference to keep, 2 bad input, 3 a transformer unreachable or answering an error status.",
  arguments: "CAPTURE|-",
  options: [
    .value("--transformer", "A", help: "the transformer under test, builtin or a URL; its answer is the case's actual")
      .requiredInUsage(),
    .value("--against", "B", help: "the reference, builtin or a URL; its answer is the case's expected")
      .requiredInUsage(),
    .value("--config", "DEST", help: "a destination object or its Config object, for events that carry none"),
    .flag("--router", help: "minimize a router request (POST /routerTransform) instead of a processor request"),
    .value("--output", "CASE", help: "write the case to this file (default: print it on standard output)", alias: "-o"),
    .value(
      "--max-tries", "N",
      help:
        "evaluate at most N bodies (default \(defaultMaxTries), enough for a 10 KB event); past it the best so far is written"
    ),
    .flag("--redact", help: "redact personal data as record does, before minimizing (the redacted event is minimized)"),
    .flag("--keep-secrets", help: "keep access tokens in clear (never do this for a file you commit)"),
    .value("--description", "TEXT", help: "the case description (default: the capture and the difference kept)"),
    .flag("--force", help: "overwrite an existing CASE"),
    .value("--timeout", "SECONDS", help: "per-request timeout for live transformers (default 30)"),
  ],
  examples: [
    "tiktok-harness minimize capture.json --config dest.json --transformer http://127.0.0.1:9090 --against builtin -o Golden/v2/bug-123.json",
    "tiktok-harness minimize events.ndjson --config dest.json --router --transformer builtin --against http://new:9090 --redact",
  ],
  exits: [
    .init(code: 0, meaning: "minimized and written (a budget that ran out is said on stderr)"),
    .init(code: 1, meaning: "the two transformers agree on the capture: no difference to keep"),
    .init(code: 2, meaning: "unreadable or malformed input, bad usage, an existing CASE without --force"),
    .init(code: 3, meaning: "a transformer unreachable, timing out, or answering an error status or a non-response"),
  ],
  run: { args in try runMinimize(args) }
)

private func runMinimize(_ args: ParsedArguments) throws -> Int32 {
  guard args.positionals.count == 1 else { throw CLIError.usage("minimize takes exactly one CAPTURE file (or -)") }
  guard let candidateSpec = args.value("--transformer") else {
    throw CLIError.usage("minimize needs --transformer A (builtin or a URL)")
  }
  guard let referenceSpec = args.value("--against") else {
    throw CLIError.usage("minimize needs --against B (builtin or a URL)")
  }
  let maxTries = try args.int("--max-tries") ?? defaultMaxTries
  guard maxTries >= 1 else { throw CLIError.usage("--max-tries expects a positive number of tries") }
  let timeout = try args.seconds("--timeout", max: LiveTransformer.maxTimeout)
  let candidate = try makeTransformer(candidateSpec, timeout: timeout)
  let reference = try makeTransformer(referenceSpec, timeout: timeout)
  let output = args.value("--output")
  var isDirectory: ObjCBool = false
  if let output, FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
    if isDirectory.boolValue { throw CLIError.badInput("\(output) is a folder; -o takes the case file's path") }
    if !args.has("--force") { throw CLIError.badInput("\(output) already exists; pass --force to overwrite it") }
  }
  let capture = try MinimizeCapture.read(args)
  let route: Route = args.has("--router") ? .router : .processor
  let minimizer = DifferenceMinimizer(candidate: candidate, reference: reference, route: route, maxTries: maxTries)
  Console.err(
    "minimizing \(displayName(args.positionals[0])) (\(route)): \(candidate.name) (actual) against \(reference.name) (expected)\n"
  )
  let progress = ProgressLine(enabled: Console.stderrIsTerminal)
  let result: MinimizeResult
  do {
    result = try minimizer.run(body: capture.body(for: route), onTry: progress.show)
  } catch {
    progress.clear()
    switch error {
    case .noDifference:
      let hint = args.has("--redact") ? " after redaction (the difference may lie in a redacted value)" : ""
      Console.err("tiktok-harness minimize: \(error)\(hint)\n")
      return ExitStatus.failure
    case .unusable(let message): throw CLIError.unreachable(message)
    case .rejected(let message): throw CLIError.badInput("\(displayName(args.positionals[0])): \(message)")
    }
  }
  progress.clear()
  let golden = GoldenCase(
    name: output ?? "minimized", file: output ?? "<stdout>",
    description: args.value("--description") ?? describe(result, capture: displayName(args.positionals[0])),
    route: route, input: result.minimized, expected: result.expected.asExpected)
  try capture.checkWritable(golden, file: output ?? "the case")
  Console.err(MinimizeReport.text(result, maxTries: maxTries))
  if let output {
    do {
      try GoldenUpdater.write(.object(golden.document), to: output)
    } catch {
      throw CLIError.badInput("\(error)")
    }
    Console.err(
      "wrote \(output); replay it: tiktok-harness replay \(shellQuote(output)) --transformer \(candidate.name)\n")
  } else {
    Console.out(JSONValue.object(golden.document).canonicalString())
  }
  if case .interrupted = result.ending { return ExitStatus.unreachable }
  return ExitStatus.ok
}

/// The case description: where it came from and the difference it keeps.
private func describe(_ result: MinimizeResult, capture: String) -> String {
  let entries = result.signature.entries.map(\.description)
  let shown = entries.prefix(5).joined(separator: "; ")
  let more = entries.count > 5 ? "; and \(entries.count - 5) more" : ""
  return "minimized from \(capture) by tiktok-harness minimize; the transformers differ at: \(shown)\(more)"
}

/// The capture read and redacted as `record` reads it, and the checks `record` makes before writing a case.
private struct MinimizeCapture {
  let documents: [JSONValue]
  let destination: JSONValue?
  let recorder: CaseRecorder
  /// `--redact` and `--keep-secrets`, as given (the gate below is record's).
  let redact: Bool
  let keepSecrets: Bool
  let items: JSONValue

  static func read(_ args: ParsedArguments) throws -> MinimizeCapture {
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
    let redact = args.has("--redact")
    let keepSecrets = args.has("--keep-secrets")
    let recorder = CaseRecorder(redact: redact, keepSecrets: keepSecrets)
    do {
      let items = try recorder.processorRequest(documents: documents, destination: destination)
      return MinimizeCapture(
        documents: documents, destination: destination, recorder: recorder, redact: redact, keepSecrets: keepSecrets,
        items: items)
    } catch {
      throw CLIError.badInput("\(displayName(path)): \(error)")
    }
  }

  /// The request body: the processor items, or a router body around them.
  func body(for route: Route) -> JSONValue {
    route.kind == .router ? ["destType": "tiktok_ads", "input": items] : items
  }

  /// Refuses a case that would carry a secret or personal value from the capture, or that replay could not read.
  func checkWritable(_ golden: GoldenCase, file: String) throws(CLIError) {
    let original: [JSONValue]
    do { original = try recorder.items(documents: documents, destination: destination).original } catch {
      throw .badInput("refusing to write \(file): \(error)")
    }
    do throws(Recording.Refusal) {
      try Recording(recorder: recorder, route: golden.route).checkWritable(golden, original: original)
    } catch {
      throw .badInput("refusing to write \(file): \(error)")
    }
  }
}

/// One updating line on standard error (only on a terminal): tries so far and the best size.
private final class ProgressLine {
  private let enabled: Bool
  private var last: UInt64 = 0
  private var shown = false

  init(enabled: Bool) { self.enabled = enabled }

  func show(_ progress: MinimizerProgress) {
    guard enabled else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now - last > 100_000_000 else { return }
    last = now
    shown = true
    Console.err(
      "\r\u{1B}[Kminimizing: try \(progress.tries + 1)/\(progress.maxTries + 1), best \(progress.bytes) bytes")
  }

  func clear() {
    guard shown else { return }
    shown = false
    Console.err("\r\u{1B}[K")
  }
}
