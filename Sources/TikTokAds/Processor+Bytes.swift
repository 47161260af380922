import Dispatch
import JSON

/// Why a processor request body given as bytes could not be answered.
public enum ProcessorRequestError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The bytes are not valid JSON; the error has the line and column.
  case malformed(JSONParseError)
  /// Valid JSON of the wrong shape.
  case shape(RequestShapeError)

  public var description: String {
    switch self {
    case .malformed(let e): return e.description
    case .shape(let e): return e.description
    }
  }
}

extension TikTokAdsTransformer {
  /// The processor response body as compact JSON, from a request body given as UTF-8 bytes; see
  /// ``writeProcessorResponse(request:workers:to:)``.
  /// - Throws: ``ProcessorRequestError``.
  public func processorResponseBytes(request: UnsafeRawBufferPointer, workers: Int = 2) throws(ProcessorRequestError)
    -> [UInt8]
  {
    var result: [UInt8] = []
    try writeProcessorResponse(request: request, workers: workers) { result.append(contentsOf: $0) }
    return result
  }

  /// Writes the processor response body as compact JSON, from a request body given as UTF-8 bytes: `write` is
  /// called with consecutive pieces of the body, in order, once all of it is computed (so nothing is written for a
  /// request that fails).
  ///
  /// A large request array is read in runs of elements on all cores (`workers` > 1; Dispatch sizes the pool): each
  /// event is parsed onto a tape, transformed, and its items written into its run's output. Where runs start is
  /// guessed and proved by the run before (``JSON/JSONArrayRuns``); when a guess fails, the elements are found by a
  /// structural scan first. The output keeps input order and equals `processorResponse(for:)` written compactly.
  /// When the bytes are malformed, the whole text is parsed once more to report the exact position.
  /// - Throws: ``ProcessorRequestError``.
  public func writeProcessorResponse(
    request: UnsafeRawBufferPointer, workers: Int = 2, to write: (UnsafeBufferPointer<UInt8>) -> Void
  ) throws(ProcessorRequestError) {
    guard workers > 1, request.count >= Self.parallelBytes,
      let slices = runSlices(request, workers: workers) ?? rangeSlices(request, workers: workers)
    else {
      try serialResponse(request).withUnsafeBufferPointer(write)
      return
    }
    [UInt8(ascii: "[")].withUnsafeBufferPointer(write)
    var first = true
    for slice in slices where slice.sink.buffer.count > 0 {
      if !first { [UInt8(ascii: ",")].withUnsafeBufferPointer(write) }
      write(slice.sink.buffer.bytes)
      first = false
    }
    [UInt8(ascii: "]")].withUnsafeBufferPointer(write)
  }

  /// One slice's items, written by one worker (a class: the buffer is not copied out of it).
  private final class SliceText: @unchecked Sendable {
    var sink: ProcessorItemText

    init(capacity: Int) { sink = ProcessorItemText(buffer: ByteBuffer(capacity: capacity)) }
  }

  /// Requests smaller than this are answered on one thread.
  static let parallelBytes = 64 * 1024

  /// Runs (or slices) per worker. Many short runs keep every core busy to the end: with 8 per worker, the last
  /// run of a 20,000-event request (~9 ms) often ran alone on one core while the others had finished; 32 took
  /// about 10 % off the request's wall time (BENCHMARKS.md, "Transformer").
  static let runsPerWorker = 32

  /// The response items of the request's elements read in runs from guessed starts (``JSON/JSONArrayRuns``), each
  /// run's items comma-separated; `nil` when a run does not arrive exactly where the next starts, or an element or
  /// separator is not valid.
  private func runSlices(_ request: UnsafeRawBufferPointer, workers: Int) -> [SliceText]? {
    guard let starts = JSONArrayRuns.guessStarts(request, parts: workers * Self.runsPerWorker) else { return nil }
    nonisolated(unsafe) let request = request  // read-only, alive until the parallel work returns
    // Items take about three quarters of their events' bytes.
    return inParallel(starts.count, capacity: request.count / starts.count * 3 / 4) { run, sink in
      var reader = JSONArrayRuns.Reader(request, start: starts[run], numbers: .javaScript)
      let stop = run + 1 < starts.count ? starts[run + 1] : nil
      while let position = reader.position, position < stop ?? Int.max {
        guard let event = reader.next() else { return false }
        processorItems(for: event.root, into: &sink)
      }
      return !reader.failed && reader.position == stop
    }
  }

  /// The response items of the request's elements found by a structural scan first (``JSON/JSONValue/topLevelArrayElementRanges(_:)``),
  /// in contiguous slices; `nil` when the text is not an array or an element does not parse.
  private func rangeSlices(_ request: UnsafeRawBufferPointer, workers: Int) -> [SliceText]? {
    guard let ranges = JSONValue.topLevelArrayElementRanges(request), !ranges.isEmpty else { return nil }
    let chunkCount = min(ranges.count, workers * Self.runsPerWorker)
    nonisolated(unsafe) let request = request  // read-only, alive until the parallel work returns
    return inParallel(chunkCount, capacity: request.count / chunkCount * 3 / 4) { chunk, sink in
      // Chunk k holds elements k·n/c ..< (k+1)·n/c: every element once, no chunk empty or inverted. (Rounding
      // the chunk size up instead put the last chunks past the end: 17 elements in 16 chunks of 2 trapped.)
      for index in chunk * ranges.count / chunkCount..<(chunk + 1) * ranges.count / chunkCount {
        let bytes = UnsafeRawBufferPointer(rebasing: request[ranges[index]])
        // The array counts as a level, as in the whole text's parse.
        guard let event = try? JSONTape(parsing: bytes, numbers: .javaScript, maxDepth: 999) else { return false }
        processorItems(for: event.root, into: &sink)
      }
      return true
    }
  }

  /// Runs `work` for `count` slices on all cores, each writing its items into its own sink; the slices in order,
  /// or `nil` when one of them returns `false`.
  private func inParallel(
    _ count: Int, capacity: Int, _ work: @Sendable (Int, inout ProcessorItemText) -> Bool
  ) -> [SliceText]? {
    // Each worker touches only its own slice's object and flag.
    let slices = (0..<count).map { _ in SliceText(capacity: capacity) }
    var failed = [Bool](repeating: false, count: count)
    failed.withUnsafeMutableBufferPointer { fails in
      nonisolated(unsafe) let fails = fails
      DispatchQueue.concurrentPerform(iterations: count) { slice in
        fails[slice] = !work(slice, &slices[slice].sink)
      }
    }
    return failed.contains(true) ? nil : slices
  }

  private func serialResponse(_ request: UnsafeRawBufferPointer) throws(ProcessorRequestError) -> [UInt8] {
    let body: JSONValue
    do { body = try JSONValue.parse(request) } catch { throw .malformed(error) }
    do { return try processorResponse(for: body).compactBytes() } catch { throw .shape(error) }
  }
}
