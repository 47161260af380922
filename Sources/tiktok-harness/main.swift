import Foundation

/// Every subcommand; each lives in `Commands/<Name>Command.swift`.
let commands: [Command] = [
  transformCommand, explainCommand,
  replayCommand, recordCommand, compareCommand, minimizeCommand,
  deliverCommand,
  serveCommand,
]

let version = "0.1.0"

func topLevelHelp() -> String {
  var text = "tiktok-harness \(version): contract testing and replay for RudderStack's TikTok Ads destination\n\n"
  text += "usage: tiktok-harness <command> [options]\n\ncommands:\n"
  for c in commands { text += "  \(c.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(c.summary)\n" }
  text += "\nRun 'tiktok-harness <command> --help' for a command's options.\n"
  return text
}

/// Runs the command line and returns the exit status; the one place errors become text and codes.
func runCLI(_ argv: [String]) -> Int32 {
  guard let name = argv.first, name != "--help", name != "-h", name != "help" else {
    Console.out(topLevelHelp())
    return argv.isEmpty ? ExitStatus.badInput : ExitStatus.ok
  }
  if name == "--version" {
    Console.out("tiktok-harness \(version)\n")
    return ExitStatus.ok
  }
  guard let command = commands.first(where: { $0.name == name }) else {
    Console.err("tiktok-harness: error: unknown command '\(name)'\n\n" + topLevelHelp())
    return ExitStatus.badInput
  }
  let rest = Array(argv.dropFirst())
  if rest.contains("--help") || rest.contains("-h") {
    Console.out(command.help)
    return ExitStatus.ok
  }
  do {
    let parsed = try ParsedArguments.parse(rest, options: command.options)
    return try command.run(parsed)
  } catch let error as CLIError {
    Console.err("tiktok-harness \(name): error: \(error)\n")
    if case .usage = error { Console.err(command.help) }
    return error.exitStatus
  } catch {
    Console.err("tiktok-harness \(name): error: \(error)\n")
    return ExitStatus.badInput
  }
}

signal(SIGPIPE, SIG_IGN)
exit(runCLI(Array(CommandLine.arguments.dropFirst())))
