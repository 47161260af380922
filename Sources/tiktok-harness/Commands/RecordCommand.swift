import Foundation
import Golden
import JSON
import Replay

/// `tiktok-harness record EVENT --config DEST --name N`: a captured event becomes a pinned golden case.
let recordCommand = Command(
  name: "record",
  summary:
    "Write a new golden case Golden/<suite>/<name>.json from a captured event (a RudderStack message, a processor request item or array, a /v1/batch body, NDJSON). The expected value is computed by the built-in transformer from the input as written. Access tokens are always replaced unless --keep-secrets. With --redact, every string is replaced by a stable, format-preserving stand-in except the values the mapping needs as they are (event names, type, currency, content_type, event_source, att_status, config flags, timestamps); the case is refused if the redacted event would make the transformer output different fields, or if anything sensitive is left (each named by JSON Pointer and kind). Without --redact, personal data is written in clear (a warning says so).",
  arguments: "EVENT|-",
  options: [
    .value("--config", "DEST", help: "a destination object or just its Config object (JSON file)"),
    .value("--name", "N", help: "the case name (letters, digits, '.', '_', '-')").requiredInUsage(),
    .value("--suite", "S", help: "the suite folder under Golden/ (default: recorded)"),
    .flag(
      "--router", help: "a router case (POST /routerTransform: the events batched together) instead of a processor case"
    ),
    .flag(
      "--redact",
      help:
        "replace every string but the mapping's own values with stable, format-preserving stand-ins (default-deny)"),
    .flag("--keep-secrets", help: "keep access tokens in clear (never do this for a file you commit)"),
    .value(
      "--description", "TEXT", help: "the case description (default: 'recorded from FILE', no name with --redact)"),
    .value("--golden", "DIR", help: "the golden folder (default: Golden)"),
    .flag("--force", help: "overwrite an existing case"),
    .flag(
      "--dedupe",
      help:
        "a bulk capture (NDJSON, a JSON array, /v1/batch bodies), streamed: keep only the events that reach a mapping row, or a combination of rows, no earlier kept event reached, each as case NAME-00001, NAME-00002, …"
    ),
    .value(
      "--dedupe-by", "rows|pairs|sets",
      help:
        "what combinations count for --dedupe: new rows only, every two rows reached together (default), or every distinct set of rows (keeps many events)"
    ),
  ],
  examples: [
    "tiktok-harness record event.json --config dest.json --suite customer --name bug-123 --redact",
    "tiktok-harness record batch.json --config dest.json --name batched --router --redact",
    "tiktok-harness record week.ndjson --config dest.json --suite prod-sample --name ev --dedupe --redact",
  ],
  exits: [
    .init(code: 0, meaning: "the case was written"),
    .init(
      code: 2,
      meaning:
        "unreadable or malformed capture, an existing case, bad usage, or a refusal: redaction would change the output, or a sensitive value would be written"
    ),
  ],
  run: { args in
    guard args.positionals.count == 1 else {
      throw CLIError.usage("record takes exactly one EVENT file (or - for stdin)")
    }
    guard let name = args.value("--name") else { throw CLIError.usage("record needs --name N") }
    let suite = args.value("--suite") ?? "recorded"
    try checkCaseName(name, what: "--name", allowSlash: false)
    try checkCaseName(suite, what: "--suite", allowSlash: true)
    let eventPath = args.positionals[0]
    if args.has("--dedupe") {
      guard !args.has("--router") else { throw CLIError.usage("--dedupe keeps single events: it takes no --router") }
      let redact = args.has("--redact")
      var destination: JSONValue?
      if let config = args.value("--config") {
        do {
          destination = try Capture.destination(from: try readJSONDocument(config))
        } catch let error as GoldenError {
          throw CLIError.badInput("\(displayName(config)): \(error)")
        }
      }
      if !redact {
        Console.err(
          "tiktok-harness record: warning: the cases kept hold the capture's personal data in clear; use --redact before you commit or share them\n"
        )
      }
      return try RecordDedupe(
        path: eventPath, destination: destination,
        recording: Recording(
          recorder: CaseRecorder(redact: redact, keepSecrets: args.has("--keep-secrets")), route: .processor),
        suite: suite, name: name, root: args.value("--golden") ?? "Golden", force: args.has("--force"),
        depth: try dedupeDepth(args.value("--dedupe-by"))
      ).run()
    }
    let documents: [JSONValue]
    do {
      documents = try Capture.parseDocuments(try readInput(eventPath), file: displayName(eventPath))
    } catch let error as GoldenError {
      throw CLIError.badInput("\(error)")
    }
    let destination = try args.value("--config").map(readJSONDocument)
    let redact = args.has("--redact")
    let root = args.value("--golden") ?? "Golden"
    let file = "\(root)/\(suite)/\(name).json"
    let description =
      args.value("--description")
      ?? (redact ? "recorded from a redacted capture" : "recorded from \(baseName(displayName(eventPath)))")
    let recording = Recording(
      recorder: CaseRecorder(redact: redact, keepSecrets: args.has("--keep-secrets")),
      route: args.has("--router") ? .router : .processor)
    let recorded: Recording.Recorded
    do throws(Recording.Refusal) {
      recorded = try recording.record(
        documents: documents, destination: destination, name: "\(suite)/\(name)", file: file, description: description)
    } catch .badCapture(let message), .transformer(let message) {
      throw CLIError.badInput("\(displayName(eventPath)): \(message)")
    } catch {
      throw CLIError.badInput("refusing to write \(file): \(error)")
    }
    let golden = recorded.golden
    if FileManager.default.fileExists(atPath: file) && !args.has("--force") {
      throw CLIError.badInput("\(file) already exists; pass --force to overwrite it")
    }
    do {
      try GoldenUpdater.write(.object(golden.document), to: file)
    } catch {
      throw CLIError.badInput("\(error)")
    }
    if !redact {
      Console.err(
        "tiktok-harness record: warning: \(file) holds the capture's personal data in clear (emails, phones, names, IPs, ids); record with --redact before you commit it or share it\n"
      )
    }
    let response = recorded.response
    let what: String
    if recording.route.kind == .router {
      let outputs = response.body["output"]?.arrayValue ?? []
      let batches = outputs.filter { $0["batched"] == true }.count
      what =
        "router: \(batches) batched request\(batches == 1 ? "" : "s"), \(outputs.count - batches) error item\(outputs.count - batches == 1 ? "" : "s")"
    } else {
      let outcomes = response.body.arrayValue?.map { $0["statusCode"]?.compactString() ?? "?" } ?? []
      what = "processor statusCode \(outcomes.joined(separator: ", "))"
    }
    let items = recorded.events
    Console.out(
      "wrote \(file): \(items) event\(items == 1 ? "" : "s"), \(what)\(redact ? ", redacted" : "")\n"
        + "review the expected value against the spec, then replay it: swift run tiktok-harness replay \(shellQuote(file))\n"
    )
    return ExitStatus.ok
  }
)

/// The `--dedupe-by` value.
private func dedupeDepth(_ text: String?) throws(CLIError) -> CoverageDeduper.Depth {
  guard let text else { return .pairs }
  guard let depth = CoverageDeduper.Depth(rawValue: text) else {
    throw .usage("--dedupe-by expects rows, pairs or sets, got '\(text)'")
  }
  return depth
}

/// The last component of a path.
private func baseName(_ path: String) -> String {
  path.split(separator: "/").last.map(String.init) ?? path
}

/// Checks a case or suite name: letters, digits, `.`, `_`, `-` (and `/` between parts of a suite).
func checkCaseName(_ name: String, what: String, allowSlash: Bool) throws(CLIError) {
  let parts = allowSlash ? name.split(separator: "/", omittingEmptySubsequences: false).map(String.init) : [name]
  for part in parts {
    let ok =
      !part.isEmpty && part != "." && part != ".."
      && part.unicodeScalars.allSatisfy {
        ($0.properties.isAlphabetic && $0.isASCII) || "0123456789._-".unicodeScalars.contains($0)
      }
    guard ok else {
      throw .usage("\(what) '\(name)' may hold only letters, digits, '.', '_' and '-'\(allowSlash ? " (and '/')" : "")")
    }
  }
}
