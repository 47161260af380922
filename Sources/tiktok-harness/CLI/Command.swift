import Foundation
import Golden

/// One subcommand: its name, usage, options, examples, exit codes and the function that runs it.
struct Command: Sendable {
  /// One exit status a command can end with, and what it means there.
  struct Exit: Sendable {
    let code: Int32
    let meaning: String
  }

  let name: String
  let summary: String
  /// The positional part of the usage line, e.g. `[PATH ...]` (the options follow it, generated from `options`).
  let arguments: String
  let options: [OptionSpec]
  /// Command lines a user can paste, each shown after `$ `.
  let examples: [String]
  /// Every exit status the command uses.
  let exits: [Exit]
  let run: @Sendable (ParsedArguments) throws -> Int32

  /// `usage: tiktok-harness NAME ARGUMENTS [OPTIONS]`, every option included, wrapped at 120 columns.
  var usageLine: String {
    let head = "usage: tiktok-harness \(name)"
    let words = (arguments.isEmpty ? [] : [arguments]) + options.map(\.usage)
    var lines: [String] = [head]
    for word in words {
      if lines[lines.count - 1].count + 1 + word.count > 120 {
        lines.append(String(repeating: " ", count: head.count) + " " + word)
      } else {
        lines[lines.count - 1] += " " + word
      }
    }
    return lines.joined(separator: "\n")
  }

  /// The help text for `tiktok-harness <name> --help` (and `tiktok-harness help <name>`).
  var help: String {
    var text = usageLine + "\n\n" + wrap(summary, width: 116, indent: "") + "\n"
    if !options.isEmpty {
      let width = min(30, options.map(\.listedSynopsis.count).max() ?? 0)
      text += "\noptions:\n"
      for o in options {
        let synopsis = o.listedSynopsis
        let pad = synopsis.count <= width ? String(repeating: " ", count: width - synopsis.count) : ""
        let indent = String(repeating: " ", count: width + 4)
        let body = wrap(o.help + (o.repeatable ? " (repeatable)" : ""), width: 116 - width, indent: indent)
        text += synopsis.count <= width ? "  \(synopsis)\(pad)  \(body)\n" : "  \(synopsis)\n\(indent)\(body)\n"
      }
    }
    if !examples.isEmpty {
      text += "\nexamples:\n"
      for e in examples { text += "  $ \(e)\n" }
    }
    if !exits.isEmpty {
      text += "\nexit status:\n"
      for e in exits { text += "  \(e.code)  \(wrap(e.meaning, width: 115, indent: "     "))\n" }
    }
    return text
  }
}

/// `text` broken into lines of at most `width` characters; lines after the first start with `indent`.
func wrap(_ text: String, width: Int, indent: String) -> String {
  var lines: [String] = []
  var line = ""
  for word in text.split(separator: " ", omittingEmptySubsequences: true) {
    if !line.isEmpty && line.count + 1 + word.count > width {
      lines.append(line)
      line = String(word)
    } else {
      line += line.isEmpty ? String(word) : " " + word
    }
  }
  if !line.isEmpty { lines.append(line) }
  return lines.joined(separator: "\n" + indent)
}

/// Standard streams, written without buffering surprises.
enum Console {
  /// Writes `text` to standard output. A closed pipe (`… | head`) ends the output quietly instead of trapping,
  /// as `FileHandle.write` would on EPIPE.
  static func out(_ text: String) { write(text, to: STDOUT_FILENO) }

  /// Writes `text` to standard error.
  static func err(_ text: String) { write(text, to: STDERR_FILENO) }

  /// Writes `bytes` (UTF-8 text the caller made) to standard output, as ``out(_:)`` does.
  static func out(bytes: UnsafeBufferPointer<UInt8>) { write(bytes, to: STDOUT_FILENO) }

  private static func write(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { write($0, to: fd) }
  }

  private static func write(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(fd, base + offset, bytes.count - offset)
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        return  // EPIPE or another error: the reader is gone; nothing more can be said there
      }
    }
  }

  /// `true` when standard output is a terminal (colour and progress lines only then).
  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// `true` when standard error is a terminal.
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A regular file of at least 1 MiB mapped into memory (``Golden/MappedFile``), or `nil` for standard input, a
/// pipe or a smaller file (read those with ``readInput(_:)``); the error names the file.
func mapInput(_ path: String) throws(CLIError) -> MappedFile? {
  guard path != "-" else { return nil }
  switch MappedFile.map(path, atLeast: 1 << 20) {
  case .success(let file): return file
  case .failure(let error): throw .badInput("\(path): \(error)")
  }
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
