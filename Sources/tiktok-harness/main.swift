import Foundation

/// Every subcommand; each lives in `Commands/<Name>Command.swift`.
let commands: [Command] = [
  transformCommand, explainCommand,
  replayCommand, recordCommand, compareCommand, minimizeCommand,
  deliverCommand,
  serveCommand, serveTransformerCommand,
]

let version = "0.1.0"

func topLevelHelp() -> String {
  var text = "tiktok-harness \(version): contract testing and replay for RudderStack's TikTok Ads destination\n\n"
  text += "usage: tiktok-harness <command> [options]\n       tiktok-harness help <command>\n\ncommands:\n"
  for c in commands {
    let summary = wrap(firstSentence(c.summary), width: 107, indent: String(repeating: " ", count: 13))
    // A name longer than the column gets a line of its own, the summary under the others'.
    let name =
      c.name.count > 10
      ? c.name + "\n" + String(repeating: " ", count: 12) : c.name.padding(toLength: 10, withPad: " ", startingAt: 0)
    text += "  \(name) \(summary)\n"
  }
  text += """

    examples:
      $ tiktok-harness replay                      # replay Golden/ on the built-in transformer
      $ tiktok-harness transform event.json --config dest.json --pretty
      $ tiktok-harness help replay

    exit status (every command): 0 success, 1 a regression or an unmet expectation, 2 bad input or usage,
    3 a transformer or endpoint unreachable or answering something that is not its API.
    Run 'tiktok-harness <command> --help' for a command's options, examples and exit codes.

    """
  return text
}

/// The first sentence of a summary, for the command list.
private func firstSentence(_ text: String) -> String {
  guard let end = text.firstRange(of: ". ") else { return text }
  return String(text[..<end.lowerBound]) + "."
}

/// Runs the command line and returns the exit status; the one place errors become text and codes.
func runCLI(_ argv: [String]) -> Int32 {
  guard let name = argv.first, name != "--help", name != "-h" else {
    Console.out(topLevelHelp())
    return argv.isEmpty ? ExitStatus.badInput : ExitStatus.ok
  }
  if name == "--version" {
    Console.out("tiktok-harness \(version)\n")
    return ExitStatus.ok
  }
  if name == "help" {
    guard argv.count > 1 else {
      Console.out(topLevelHelp())
      return ExitStatus.ok
    }
    guard argv.count == 2, let command = commands.first(where: { $0.name == argv[1] }) else {
      Console.err(
        "tiktok-harness help: error: unknown command '\(argv.dropFirst().joined(separator: " "))'; \(knownCommands())\n"
      )
      return ExitStatus.badInput
    }
    Console.out(command.help)
    return ExitStatus.ok
  }
  guard let command = commands.first(where: { $0.name == name }) else {
    Console.err("tiktok-harness: error: unknown command '\(name)'; \(knownCommands())\n")
    return ExitStatus.badInput
  }
  let rest = Array(argv.dropFirst())
  if rest.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }) {
    Console.out(command.help)
    return ExitStatus.ok
  }
  do {
    let parsed = try ParsedArguments.parse(rest, options: command.options)
    return try command.run(parsed)
  } catch let error as CLIError {
    var line = "tiktok-harness \(name): error: \(error)"
    if case .usage = error { line += "; see 'tiktok-harness \(name) --help'" }
    Console.err(line + "\n")
    return error.exitStatus
  } catch {
    Console.err("tiktok-harness \(name): error: \(error)\n")
    return ExitStatus.badInput
  }
}

/// The list of commands, for an unknown-command error.
private func knownCommands() -> String {
  "the commands are \(commands.map(\.name).joined(separator: ", ")); see 'tiktok-harness --help'"
}

signal(SIGPIPE, SIG_IGN)
exit(runCLI(Array(CommandLine.arguments.dropFirst())))
