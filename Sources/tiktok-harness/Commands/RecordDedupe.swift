import Dispatch
import Foundation
import Golden
import JSON
import Replay

/// `record BULK --dedupe`: streams a bulk capture and pins as cases only the events that reach a mapping row, or a
/// set of rows, no earlier kept event reached.
struct RecordDedupe {
  let path: String
  let destination: JSONValue?
  let recording: Recording
  let suite: String
  let name: String
  let root: String
  let force: Bool
  let depth: CoverageDeduper.Depth

  /// Events decided together (their rows are computed on every core).
  static let batch = 2048

  func run() throws -> Int32 {
    var stream = try openStream(path)
    var deduper = CoverageDeduper(depth: depth)
    var read = 0
    var kept = 0
    var bad = 0
    var refused = 0
    let progress = DedupeProgress(enabled: Console.stderrIsTerminal)
    while true {
      var units: [JSONTextStream.Unit] = []
      do {
        while units.count < Self.batch, let unit = try stream.next() { units.append(unit) }
      } catch {
        throw CLIError.badInput("\(displayName(path)):\(error)")
      }
      if units.isEmpty { break }
      let events = parse(units)
      let rows = CoverageDeduper.rows(of: events.compactMap(\.item))
      var next = rows.makeIterator()
      for event in events {
        guard let item = event.item, let rowSet = next.next() else {
          bad += 1
          Console.err("tiktok-harness record: \(event.problem ?? "bad event"); skipped\n")
          continue
        }
        read += 1
        guard let reason = deduper.decide(rowSet) else { continue }
        kept += 1
        // A refused event's rows stay unreached, so a later event reaching them is kept in its place.
        if try write(item, number: kept, reason: reason, line: event.line) {
          deduper.keep(rowSet)
        } else {
          refused += 1
        }
      }
      progress.show(read: read, kept: kept, rows: deduper.rowsReached)
    }
    progress.clear()
    guard read > 0 else {
      throw CLIError.badInput(
        "\(displayName(path)): the capture holds no events" + (bad > 0 ? " that could be read" : ""))
    }
    let written = kept - refused
    Console.out(
      "read \(read) event\(read == 1 ? "" : "s"), kept \(kept), wrote \(written) case\(written == 1 ? "" : "s") in \(root)/\(suite)/ (\(deduper.rowsReached) mapping rows reached)"
        + (refused > 0 ? "; \(refused) refused (see above)" : "") + (bad > 0 ? "; \(bad) skipped as malformed" : "")
        + "\n")
    // Every other event was still considered and written; a line skipped or an event refused is bad input all the
    // same, so a script sees it.
    return refused > 0 || bad > 0 ? ExitStatus.badInput : ExitStatus.ok
  }

  /// One event of the capture: its processor request item, or why it has none.
  private struct Event {
    var item: JSONValue?
    var problem: String?
    var line: Int
  }

  /// Parses the units on every core; a unit holding several events (a `/v1/batch` body, an array) gives several. A
  /// unit that does not parse and spans lines (NDJSON with a broken line swallowing the next ones) is retried line
  /// by line, so one bad line costs only itself.
  private func parse(_ units: [JSONTextStream.Unit]) -> [Event] {
    var parsed = [[Event]](repeating: [], count: units.count)
    parsed.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let out = out
      DispatchQueue.concurrentPerform(iterations: units.count) { i in
        let unit = units[i]
        let whole = events(unit.bytes, line: unit.line)
        if whole.count == 1, whole[0].item == nil, unit.bytes.contains(0x0A) {
          var lineEvents: [Event] = []
          for (k, line) in unit.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
          where line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
            lineEvents += events(Array(line), line: unit.line + k)
          }
          out[i] = lineEvents
        } else {
          out[i] = whole
        }
      }
    }
    return parsed.flatMap { $0 }
  }

  /// The events of one JSON text starting at `line`, or one event naming its problem.
  private func events(_ bytes: [UInt8], line: Int) -> [Event] {
    do {
      let document = try JSONValue.parse(bytes)
      return try Capture.processorItems([document], destination: destination).map { Event(item: $0, line: line) }
    } catch let error as JSONParseError {
      return [
        Event(problem: "\(displayName(path)):\(line + error.line - 1):\(error.column): \(error.message)", line: line)
      ]
    } catch {
      return [Event(problem: "\(displayName(path)):\(line): \(error)", line: line)]
    }
  }

  /// Writes the kept event as a case; `false` when `record` refuses it (reported on standard error).
  private func write(_ item: JSONValue, number: Int, reason: CoverageDeduper.Reason, line: Int) throws -> Bool {
    let caseName = "\(name)-\(String(format: "%05d", number))"
    let file = "\(root)/\(suite)/\(caseName).json"
    let why: String
    switch reason {
    case .newRows(let n): why = "reaches \(n) mapping row\(n == 1 ? "" : "s") no earlier event reached"
    case .newCombination:
      why =
        depth == .pairs
        ? "reaches two mapping rows together that no earlier event did"
        : "reaches a set of mapping rows no earlier event reached"
    }
    let recorded: Recording.Recorded
    do throws(Recording.Refusal) {
      recorded = try recording.record(
        documents: [item], destination: nil, name: "\(suite)/\(caseName)", file: file,
        description: "kept by record --dedupe (line \(line) of the capture): \(why)")
    } catch {
      Console.err("tiktok-harness record: not writing \(file) (line \(line) of the capture): \(error)\n")
      return false
    }
    if FileManager.default.fileExists(atPath: file) && !force {
      throw CLIError.badInput("\(file) already exists; pass --force to overwrite it")
    }
    do {
      try GoldenUpdater.write(.object(recorded.golden.document), to: file)
    } catch {
      throw CLIError.badInput("\(error)")
    }
    return true
  }
}

/// A JSON text stream over a file (or standard input), read in 1 MiB chunks.
private func openStream(_ path: String) throws(CLIError) -> JSONTextStream {
  let fd = path == "-" ? 0 : open(path, O_RDONLY)
  guard fd >= 0 else { throw .badInput("\(path): \(String(cString: strerror(errno)))") }
  return JSONTextStream { buffer, chunk in
    let start = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: chunk))
    var got = 0
    buffer.withUnsafeMutableBytes { raw in
      repeat { got = Glibc.read(fd, raw.baseAddress! + start, chunk) } while got < 0 && errno == EINTR
    }
    buffer.removeLast(chunk - max(got, 0))
    return max(got, 0)
  }
}

/// One updating line on standard error, on a terminal only.
private final class DedupeProgress {
  private let enabled: Bool
  private var shown = false

  init(enabled: Bool) { self.enabled = enabled }

  func show(read: Int, kept: Int, rows: Int) {
    guard enabled else { return }
    shown = true
    Console.err("\r\u{1B}[2K\(read) events read, \(kept) kept, \(rows) mapping rows reached")
  }

  func clear() {
    if shown { Console.err("\r\u{1B}[2K") }
  }
}
