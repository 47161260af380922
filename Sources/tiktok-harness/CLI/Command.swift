import Foundation
import Golden

/// One subcommand: its name, usage, options and the function that runs it.
struct Command: Sendable {
  let name: String
  let summary: String
  /// Usage line after `tiktok-harness <name>`, e.g. `[FILE|-] [--router] [--pretty]`.
  let usage: String
  let options: [OptionSpec]
  let run: @Sendable (ParsedArguments) throws -> Int32

  /// The help text for `tiktok-harness <name> --help`.
  var help: String {
    var text = "usage: tiktok-harness \(name) \(usage)\n\n\(summary)\n"
    if !options.isEmpty {
      text += "\noptions:\n"
      for o in options { text += "  \(o.alias.map { "\($0), " } ?? "")\(o.name) \(o.help)\n" }
    }
    return text
  }
}

/// Standard streams, written without buffering surprises.
enum Console {
  /// Writes `text` to standard output. A closed pipe (`… | head`) ends the output quietly instead of trapping,
  /// as `FileHandle.write` would on EPIPE.
  static func out(_ text: String) { write(text, to: STDOUT_FILENO) }

  /// Writes `text` to standard error.
  static func err(_ text: String) { write(text, to: STDERR_FILENO) }

  private static func write(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          return  // EPIPE or another error: the reader is gone; nothing more can be said there
        }
      }
    }
  }

  /// `true` when standard output is a terminal (colour and progress lines only then).
  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// `true` when standard error is a terminal.
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// Reads a file, or standard input for `-`, naming the file in the error.
func readInput(_ path: String) throws(CLIError) -> [UInt8] {
  if path == "-" {
    return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
  }
  switch FileBytes.read(path) {
  case .success(let bytes): return bytes
  case .failure(let error): throw .badInput("\(path): \(error)")
  }
}
