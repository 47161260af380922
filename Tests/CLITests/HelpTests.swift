import Foundation
import TestSupport
import Testing

/// Help a user can act on: `help COMMAND`, usage lines that list every option, examples and exit codes in each
/// `--help`, and a usage error that is one line pointing at `--help` instead of the whole help.
@Suite struct HelpTests {
  static let commands = ["transform", "replay", "record", "compare", "deliver", "serve", "serve-transformer"]

  /// The option names in the `options:` section of a help text.
  static func listedOptions(_ help: String) -> [String] {
    guard let section = help.components(separatedBy: "\noptions:\n").dropFirst().first else { return [] }
    return section.split(separator: "\n").prefix(while: { $0.hasPrefix("  ") }).compactMap { line in
      line.hasPrefix("  --") ? line.split(separator: " ").first.map(String.init) : nil
    }
  }

  @Test func helpCommandPrintsThatCommandsHelp() throws {
    for command in Self.commands {
      let viaHelp = try Harness.run(["help", command])
      let viaFlag = try Harness.run([command, "--help"])
      #expect(viaHelp.status == 0 && viaFlag.status == 0, "\(command)")
      #expect(viaHelp.stdout.hasPrefix("usage: tiktok-harness \(command)"), "\(command): \(viaHelp.stdout.prefix(200))")
      #expect(viaHelp.stdout == viaFlag.stdout, "\(command)")
    }
    let unknown = try Harness.run(["help", "nope"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown command 'nope'"))
    let top = try Harness.run(["help"])
    #expect(top.status == 0 && top.stdout.contains("commands:"))
    #expect(top.stdout.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(top.stdout)")
  }

  @Test func everyHelpHasAFullUsageLineExamplesAndExitCodes() throws {
    for command in Self.commands {
      let help = try Harness.run([command, "--help"]).stdout
      let usage = help.components(separatedBy: "\n\n").first ?? ""
      let options = Self.listedOptions(help)
      #expect(!options.isEmpty, "\(command)")
      for option in options {
        #expect(usage.contains("\(option) ") || usage.contains("\(option)]"), "\(command): usage omits \(option)")
      }
      #expect(help.contains("\nexamples:\n  $ tiktok-harness \(command)"), "\(command)")
      #expect(help.contains("\nexit status:\n  0  "), "\(command)")
      #expect(help.contains("\n  2  "), "\(command): exit 2 is documented")
      #expect(help.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(command): a line over 120 columns")
    }
  }

  @Test func aUsageErrorIsOneLineThatPointsAtHelp() throws {
    let cases: [([String], String)] = [
      (
        ["replay", "--bogus"],
        "tiktok-harness replay: error: unknown option '--bogus'; see 'tiktok-harness replay --help'"
      ),
      (["transform", "--max-batch-v2", "x"], "tiktok-harness transform: error: --max-batch-v2 expects an integer"),
      (
        ["record", "e.json"], "tiktok-harness record: error: record needs --name N; see 'tiktok-harness record --help'"
      ),
      (["serve", "--port"], "tiktok-harness serve: error: option '--port' expects 1 value"),
    ]
    for (args, start) in cases {
      let r = try Harness.run(args)
      #expect(r.status == 2, "\(args)")
      #expect(r.stdout.isEmpty, "\(args): \(r.stdout)")
      #expect(r.stderr.hasPrefix(start), "\(args): \(r.stderr)")
      #expect(r.stderr.hasSuffix("; see 'tiktok-harness \(args[0]) --help'\n"), "\(args): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
    }
    let unknown = try Harness.run(["bogus"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
    #expect(unknown.stderr.contains("see 'tiktok-harness --help'"))
  }
}
