import Foundation
import Golden

/// A `--report FORMAT FILE` request.
struct ReportRequest: Sendable {
  enum Format: String, Sendable, CaseIterable {
    case json, junit, markdown
  }

  let format: Format
  let path: String

  /// Parses every `--report FORMAT FILE` occurrence.
  static func parse(_ occurrences: [[String]]) throws(CLIError) -> [ReportRequest] {
    var requests: [ReportRequest] = []
    for values in occurrences {
      guard values.count == 2 else { throw .usage("--report expects FORMAT FILE") }
      let name = values[0].lowercased() == "md" ? "markdown" : values[0].lowercased()
      guard let format = Format(rawValue: name) else {
        throw .usage("--report format '\(values[0])' is not one of json, junit, markdown")
      }
      requests.append(ReportRequest(format: format, path: values[1]))
    }
    return requests
  }

  /// Renders the report and writes it.
  func write(_ results: [CaseResult], summary: RunSummary, transformer: String) throws(CLIError) {
    let text: String
    switch format {
    case .json: text = JSONReport.render(results, summary: summary, transformer: transformer)
    case .junit: text = JUnitReport.render(results, summary: summary)
    case .markdown: text = MarkdownReport.render(results, summary: summary, transformer: transformer)
    }
    do {
      let url = URL(fileURLWithPath: path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      throw .badInput("\(path): cannot write the \(format.rawValue) report: \(error.localizedDescription)")
    }
  }
}

/// Prints results as they arrive, with an optional progress line on a terminal, and keeps what reports need.
final class ResultPrinter {
  private let terminal: TerminalReport
  private let keepAll: Bool
  private let showProgress: Bool
  private var lastProgress: UInt64 = 0
  private var progressShown = false
  /// The kept results: all of them when a report file was asked for, else only those that did not pass.
  private(set) var results: [CaseResult] = []

  init(keepAll: Bool, quiet: Bool) {
    let colour = Console.stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    terminal = TerminalReport(colour: colour)
    self.keepAll = keepAll
    showProgress = !quiet && Console.stderrIsTerminal
  }

  func add(_ result: CaseResult) {
    if case .passed = result.outcome {
      if keepAll { results.append(result) }
      return
    }
    results.append(result)
    clearProgress()
    Console.out(terminal.block(for: result))
  }

  func progress(filesDone: Int, cases: Int) {
    guard showProgress else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard now - lastProgress > 100_000_000 else { return }
    lastProgress = now
    progressShown = true
    Console.err("\r\u{1B}[Kreplaying: \(filesDone) files, \(cases) cases")
  }

  func clearProgress() {
    guard progressShown else { return }
    progressShown = false
    Console.err("\r\u{1B}[K")
  }

  func finish(summary: RunSummary, updateHint: String?) {
    clearProgress()
    let failing = results.filter {
      switch $0.outcome {
      case .failed, .updated: return true
      default: return false
      }
    }
    Console.out(terminal.footer(summary: summary, triage: Triage(failing), updateHint: updateHint))
  }
}
