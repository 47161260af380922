import Foundation
import JSON

/// `harness-bench parse FILE`: the events of a processor request parsed one by one, one thread, CPU nanoseconds
/// per event: into ``JSONValue`` (`JSONValue.parse` and then `javaScriptNumbers()`, what the transformer used to
/// read) and into a ``JSONTape`` with JavaScript numbers (what it reads now), and the compact writing of the
/// parsed value. Diagnostic figures for work on the parser; the benchmark is Benchmarks/transformer/run.sh.
func benchmarkParsing(path: String) {
  guard let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("\(path): cannot be read\n".utf8))
    exit(2)
  }
  let bytes = [UInt8](data)
  bytes.withUnsafeBytes { raw in
    guard let ranges = JSONValue.topLevelArrayElementRanges(raw), !ranges.isEmpty else {
      FileHandle.standardError.write(Data("\(path): not a JSON array\n".utf8))
      exit(2)
    }
    let events = ranges.map { UnsafeRawBufferPointer(rebasing: raw[$0]) }
    func nanosPerEvent(_ work: (UnsafeRawBufferPointer) -> Void) -> Int {
      let c0 = cpuSeconds()
      for event in events { work(event) }
      return Int((cpuSeconds() - c0) / Double(events.count) * 1e9)
    }
    let c0 = cpuSeconds()
    _ = JSONValue.topLevelArrayElementRanges(raw)
    let split = Int((cpuSeconds() - c0) / Double(events.count) * 1e9)
    let value = nanosPerEvent { _ = try? JSONValue.parse($0).javaScriptNumbers() }
    let tape = nanosPerEvent { _ = try? JSONTape(parsing: $0, numbers: .javaScript) }
    let write = nanosPerEvent { _ = (try? JSONValue.parse($0))?.compactBytes() } - value
    print(
      "{\"events\":\(events.count),\"split_ns\":\(split),\"value_parse_ns\":\(value),\"tape_parse_ns\":\(tape),"
        + "\"value_write_ns\":\(write)}")
  }
}
