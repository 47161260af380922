import Foundation
import Golden
import JSON
import Replay

/// `tiktok-harness record EVENT --config DEST --name N`: a captured event becomes a pinned golden case.
let recordCommand = Command(
  name: "record",
  summary:
    "Write a new golden case Golden/<suite>/<name>.json from a captured event (a RudderStack message, a processor request item or array, or a /v1/batch body). The expected value is computed by the built-in transformer from the (redacted) input. Access tokens are always replaced unless --keep-secrets.",
  usage:
    "EVENT|- --config DEST --name N [--suite S] [--router] [--redact] [--description TEXT] [--golden DIR] [--force]",
  options: [
    .value("--config", "DEST", help: "a destination object or just its Config object (JSON file)"),
    .value("--name", "N", help: "the case name (letters, digits, '.', '_', '-')"),
    .value("--suite", "S", help: "the suite folder under Golden/ (default: recorded)"),
    .flag(
      "--router", help: "a router case (POST /routerTransform: the events batched together) instead of a processor case"
    ),
    .flag(
      "--redact",
      help: "replace emails, phones, names, IPs, user/anonymous/external ids and tokens with stable stand-ins"),
    .flag("--keep-secrets", help: "keep access tokens in clear (never do this for a file you commit)"),
    .value("--description", "TEXT", help: "the case description (default: 'recorded from EVENT')"),
    .value("--golden", "DIR", help: "the golden folder (default: Golden)"),
    .flag("--force", help: "overwrite an existing case"),
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
    let documents: [JSONValue]
    do {
      documents = try Capture.parseDocuments(try readInput(eventPath), file: displayName(eventPath))
    } catch let error as GoldenError {
      throw CLIError.badInput("\(error)")
    }
    let destination = try args.value("--config").map(readJSONDocument)
    let recorder = CaseRecorder(redact: args.has("--redact"), keepSecrets: args.has("--keep-secrets"))
    var input: JSONValue
    do {
      input = try recorder.processorRequest(documents: documents, destination: destination)
    } catch {
      throw CLIError.badInput("\(displayName(eventPath)): \(error)")
    }
    let route: Route = args.has("--router") ? .router : .processor
    if route.kind == .router { input = ["destType": "tiktok_ads", "input": input] }
    let response: TransformResponse
    do {
      response = try BuiltinTransformer().respond(to: TransformRequest(route: route, body: input))
    } catch {
      throw CLIError.badInput("\(displayName(eventPath)): \(error)")
    }
    let root = args.value("--golden") ?? "Golden"
    let file = "\(root)/\(suite)/\(name).json"
    let description = args.value("--description") ?? "recorded from \(displayName(eventPath))"
    let golden = GoldenCase(
      name: "\(suite)/\(name)", file: file, description: description, route: route, input: input,
      expected: response.asExpected)
    // The gate: nothing sensitive from the capture may reach the file.
    var original: [JSONValue] = documents
    if let destination { original.append(destination) }
    let leaks = recorder.leaks(original: .array(original), written: .object(golden.document))
    if !leaks.isEmpty && (args.has("--redact") || !args.has("--keep-secrets")) {
      throw CLIError.badInput(
        "refusing to write \(file): \(leaks.count) sensitive value\(leaks.count == 1 ? "" : "s") from the capture would be written"
      )
    }
    // A case replay could not read back is refused here, not discovered later as a malformed case.
    do throws(JSONParseError) {
      _ = try JSONValue.parse(JSONValue.object(golden.document).canonicalString())
    } catch {
      throw CLIError.badInput(
        "refusing to write \(file): replay could not read the case back (\(error.message)); the captured event is nested too deeply for a golden case"
      )
    }
    if FileManager.default.fileExists(atPath: file) && !args.has("--force") {
      throw CLIError.badInput("\(file) already exists; pass --force to overwrite it")
    }
    do {
      try GoldenUpdater.write(.object(golden.document), to: file)
    } catch {
      throw CLIError.badInput("\(error)")
    }
    let items = (input.arrayValue ?? input["input"]?.arrayValue)?.count ?? 0
    let what: String
    if route.kind == .router {
      let outputs = response.body["output"]?.arrayValue ?? []
      let batches = outputs.filter { $0["batched"] == true }.count
      what =
        "router: \(batches) batched request\(batches == 1 ? "" : "s"), \(outputs.count - batches) error item\(outputs.count - batches == 1 ? "" : "s")"
    } else {
      let outcomes = response.body.arrayValue?.map { $0["statusCode"]?.compactString() ?? "?" } ?? []
      what = "processor statusCode \(outcomes.joined(separator: ", "))"
    }
    Console.out(
      "wrote \(file): \(items) event\(items == 1 ? "" : "s"), \(what)\(args.has("--redact") ? ", redacted" : "")\n"
        + "review the expected value against the spec, then replay it: swift run tiktok-harness replay \(shellQuote(file))\n"
    )
    return ExitStatus.ok
  }
)

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
