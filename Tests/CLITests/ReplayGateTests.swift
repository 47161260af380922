import Foundation
import JSON
import TestSupport
import Testing

/// The replay gate cannot pass on nothing, names cases the same however a path is spelled, and shards a corpus
/// into disjoint slices that cover it (issue 12, issue 13 §4).
@Suite struct ReplayGateTests {
  /// The names of the cases in a replay's JSON report.
  static func caseNames(_ report: URL) throws -> [String] {
    let json = try JSONValue.parse(String(contentsOf: report, encoding: .utf8))
    return (json["cases"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
  }

  @Test func aRunOfNoCaseFailsUnlessAllowEmpty() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try FileManager.default.createDirectory(
      at: dir.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
    try dir.write("none.json", "[]")
    try dir.write("Golden/v1/x.json", try sampleCaseText())
    let runs: [[String]] = [
      ["replay", "empty"], ["replay", "none.json"], ["replay", "Golden", "--filter", "v2/*"],
      ["replay", "empty", "--strict"],
    ]
    for args in runs {
      let r = try Harness.run(args, currentDirectory: dir.url)
      #expect(r.status == 1, "\(args): \(r.stdout)\(r.stderr)")
      let lines = r.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(args): one line: \(r.stderr)")
      #expect(r.stderr.contains("error: no case ran: "), "\(args): \(r.stderr)")
      #expect(r.stderr.contains("--allow-empty"), "\(args): \(r.stderr)")
      let allowed = try Harness.run(args + ["--allow-empty"], currentDirectory: dir.url)
      #expect(allowed.status == 0, "\(args) --allow-empty: \(allowed.stderr)")
      #expect(allowed.stderr.contains("warning: no case ran"), "\(allowed.stderr)")
    }
    // A case that ran is not "nothing": one selected case passes as before.
    let one = try Harness.run(["replay", "Golden", "--filter", "v1/*"], currentDirectory: dir.url)
    #expect(one.status == 0, "\(one.stdout)\(one.stderr)")
  }

  @Test func caseNamesDoNotDependOnHowThePathIsSpelled() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/v1/x.json", try sampleCaseText())
    let out = try TemporaryDirectory()
    defer { out.remove() }
    let spellings: [(args: [String], cwd: String)] = [
      ([], ""), (["Golden"], ""), (["Golden/v1"], ""), (["Golden/v1/"], ""), (["Golden/v1/x.json"], ""),
      (["./Golden/../Golden/v1"], ""), (["."], "Golden/v1"), (["x.json"], "Golden/v1"), (["../.."], "Golden/v1"),
      (["v1"], "Golden"),
    ]
    for (args, cwd) in spellings {
      let report = out.url.appendingPathComponent("r.json")
      let r = try Harness.run(
        ["replay"] + args + ["--quiet", "--report", "json", report.path],
        currentDirectory: dir.url.appendingPathComponent(cwd))
      #expect(r.status == 0, "\(args) in \(cwd): \(r.stdout)\(r.stderr)")
      #expect(try Self.caseNames(report) == ["v1/x"], "\(args) in \(cwd)")
      // So a filter written against the corpus root selects the case whichever path a CI step passes.
      let filtered = try Harness.run(
        ["replay"] + args + ["--quiet", "--filter", "v1/*"], currentDirectory: dir.url.appendingPathComponent(cwd))
      #expect(filtered.stdout.hasSuffix("1 passed, 0 failed\n"), "\(args) in \(cwd): \(filtered.stdout)")
    }
    // Outside any Golden folder, the folder given is the root, and a file alone is named by its stem.
    let other = try TemporaryDirectory()
    defer { other.remove() }
    try other.write("elsewhere/sub/y.json", try sampleCaseText())
    let report = other.url.appendingPathComponent("r.json")
    _ = try Harness.run(["replay", "elsewhere", "--report", "json", report.path], currentDirectory: other.url)
    #expect(try Self.caseNames(report) == ["sub/y"])
    _ = try Harness.run(
      ["replay", "elsewhere/sub/y.json", "--report", "json", report.path], currentDirectory: other.url)
    #expect(try Self.caseNames(report) == ["y"])
  }

  @Test func aFileReachedTwiceRunsOnce() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/v1/x.json", try sampleCaseText())
    try dir.write("Golden/v2/y.json", try sampleCaseText())
    let r = try Harness.run(
      ["replay", "Golden", "Golden/v1", "Golden/v1/x.json", "./Golden/v2", "Golden", "--quiet"],
      currentDirectory: dir.url)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasSuffix("2 passed, 0 failed\n"), "\(r.stdout)")
  }

  /// Every shard of N runs a disjoint slice, and the slices together are the corpus, case by case (the cases of a
  /// vectors file are spread too).
  @Test func shardsAreDisjointAndTogetherRunTheWholeCorpus() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let vectors = (0..<30).map { i in
      try? JSONValue.parse(sampleCaseText()).objectValue.map { object -> JSONValue in
        var o = object
        o["name"] = .string("vectors/\(i)")
        return .object(o)
      }
    }
    try dir.write("vectors.json", JSONValue.array(vectors.compactMap { $0 ?? nil }).compactString())
    let golden = Paths.packageRoot.appendingPathComponent("Golden").path
    let vectorsPath = dir.url.appendingPathComponent("vectors.json").path
    let allReport = dir.url.appendingPathComponent("all.json")
    let all = try Harness.run(["replay", golden, vectorsPath, "--quiet", "--report", "json", allReport.path])
    #expect(all.status == 0, "\(all.stderr)")
    let everything = try Self.caseNames(allReport)
    #expect(everything.count > 140)
    for n in [1, 3, 7] {
      var union: [String] = []
      for k in 1...n {
        let report = dir.url.appendingPathComponent("shard-\(k).json")
        let r = try Harness.run([
          "replay", golden, vectorsPath, "--shard", "\(k)/\(n)", "--quiet", "--report", "json", report.path,
        ])
        #expect(r.status == 0, "\(k)/\(n): \(r.stderr)")
        let names = try Self.caseNames(report)
        #expect(
          r.stderr.contains("shard \(k)/\(n): \(names.count) of \(everything.count) selected cases"), "\(r.stderr)")
        union += names
      }
      #expect(union.count == everything.count, "\(n) shards: disjoint")
      #expect(Set(union) == Set(everything), "\(n) shards: together the whole corpus")
    }
    // The same shard of the same names is the same whichever order or spelling the paths come in.
    let a = dir.url.appendingPathComponent("a.json")
    let b = dir.url.appendingPathComponent("b.json")
    _ = try Harness.run(["replay", golden, vectorsPath, "--shard", "2/3", "--quiet", "--report", "json", a.path])
    _ = try Harness.run(["replay", vectorsPath, golden + "/", "--shard", "2/3", "--quiet", "--report", "json", b.path])
    #expect(Set(try Self.caseNames(a)) == Set(try Self.caseNames(b)))
  }

  @Test func aBadShardIsAUsageError() throws {
    for value in ["0/3", "4/3", "1/0", "-1/2", "1", "a/b", "1/2/3", ""] {
      let r = try Harness.run(["replay", "--shard", value])
      #expect(r.status == 2, "\(value)")
      #expect(r.stderr.hasPrefix("tiktok-harness replay: error: --shard: "), "\(value): \(r.stderr)")
      #expect(r.stderr.contains("1-based") || r.stderr.contains("K/N"), "\(value): \(r.stderr)")
    }
  }

  /// A shard of a non-empty selection that happens to hold none of it passes with a notice (the other shards run
  /// the cases); a sharded run of an empty selection is still a run of nothing.
  @Test func anEmptyShardOfANonEmptyCorpusPassesWithANotice() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("Golden/v1/x.json", try sampleCaseText())
    var statuses: [Int32] = []
    for k in 1...4 {
      let r = try Harness.run(["replay", "--shard", "\(k)/4", "--quiet"], currentDirectory: dir.url)
      statuses.append(r.status)
      if r.stdout.hasSuffix("0 passed, 0 failed\n") {
        #expect(r.stderr.contains("shard \(k)/4 holds none of the 1 selected cases"), "\(r.stderr)")
      } else {
        #expect(r.stdout.hasSuffix("1 passed, 0 failed\n"), "\(r.stdout)")
      }
    }
    #expect(statuses == [0, 0, 0, 0])
    let nothing = try Harness.run(
      ["replay", "--shard", "1/4", "--filter", "none/*", "--quiet"], currentDirectory: dir.url)
    #expect(nothing.status == 1, "\(nothing.stderr)")
    #expect(nothing.stderr.contains("error: no case ran"))
    // A file that does not parse is one case, named by its path: exactly one shard reports it.
    try dir.write("Golden/v1/broken.json", "[1,")
    var malformed = 0
    for k in 1...4 {
      let r = try Harness.run(["replay", "--shard", "\(k)/4", "--quiet"], currentDirectory: dir.url)
      #expect([0, 2].contains(r.status), "\(k)/4: \(r.stdout)\(r.stderr)")
      if r.status == 2 {
        malformed += 1
        #expect(r.stdout.contains("MALFORMED v1/broken"), "\(r.stdout)")
      }
    }
    #expect(malformed == 1)
  }

  @Test func anUnknownKeyInACaseFileIsMalformedWithItsPointer() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let text = try sampleCaseText()
    try dir.write("Golden/typo.json", text.replacing("\"expected\":", with: "\"expectd\": 1, \"expected\":"))
    let vector = try JSONValue.parse(text)
    guard case .object(var extra) = vector else { return }
    extra["extra"] = true
    try dir.write("vectors.json", JSONValue.array([vector, .object(extra)]).compactString())
    let r = try Harness.run(["replay", "Golden", "vectors.json"], currentDirectory: dir.url)
    #expect(r.status == 2)
    #expect(r.stdout.contains("Golden/typo.json:3:3: /expectd: unknown key (expected one of"), "\(r.stdout)")
    #expect(r.stdout.contains("vectors.json:1:"), "\(r.stdout)")
    #expect(r.stdout.contains(": /1/extra: unknown key"), "\(r.stdout)")
    #expect(r.stdout.hasSuffix("1 passed, 0 failed, 2 malformed\n"), "\(r.stdout)")
  }
  /// An `ignore` pattern that matches a whole object or array, or nothing, could let a case pass having checked
  /// nothing (or less than its author meant): the case is malformed. A pattern naming scalars still hides them.
  @Test func anIgnorePatternMustNameScalarsOfExpected() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    guard case .object(var sample) = try JSONValue.parse(try sampleCaseText()) else { return }
    // A wrong expected value everywhere a pattern is tried: only a scalar pattern that covers it lets the case pass.
    guard case .object(var expected) = sample["expected"], case .array(var body) = expected["body"],
      case .object(var item) = body[0]
    else { return }
    item["statusCode"] = .int(299)
    body[0] = .object(item)
    expected["body"] = .array(body)
    sample["expected"] = .object(expected)
    let patterns = ["", "/body", "/body/*", "/body/0/statuscode", "/body/*/statusCode"]
    for (i, pattern) in patterns.enumerated() {
      var c = sample
      c["ignore"] = [.string(pattern)]
      try dir.write("Golden/c\(i).json", JSONValue.object(c).compactString())
    }
    let r = try Harness.run(["replay"], currentDirectory: dir.url)
    #expect(r.status == 2, "\(r.stdout)")
    #expect(r.stdout.contains(#"ignore pattern "" matches a whole object"#), "\(r.stdout)")
    #expect(r.stdout.contains(#"ignore pattern "/body" matches a whole array"#), "\(r.stdout)")
    #expect(r.stdout.contains(#"ignore pattern "/body/*" matches a whole object"#), "\(r.stdout)")
    #expect(r.stdout.contains(#"ignore pattern "/body/0/statuscode" matches no value in "expected""#), "\(r.stdout)")
    #expect(r.stdout.hasSuffix("1 passed, 0 failed, 4 malformed\n"), "\(r.stdout)")
  }
}
