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
  /// Large request arrays are split at their top-level elements, and contiguous slices of them are parsed (onto
  /// tapes), transformed and written on all cores (`workers` > 1; Dispatch sizes the pool); the output keeps input
  /// order and equals `processorResponse(for:)` written compactly. When the bytes are malformed, the whole text is
  /// parsed once more to report the exact position.
  /// - Throws: ``ProcessorRequestError``.
  public func writeProcessorResponse(
    request: UnsafeRawBufferPointer, workers: Int = 2, to write: (UnsafeBufferPointer<UInt8>) -> Void
  ) throws(ProcessorRequestError) {
    guard workers > 1, let ranges = JSONValue.topLevelArrayElementRanges(request), ranges.count >= 256,
      let slices = responseSlices(request, ranges: ranges, workers: workers)
    else {
      try serialResponse(request).withUnsafeBufferPointer(write)
      return
    }
    [UInt8(ascii: "[")].withUnsafeBufferPointer(write)
    var first = true
    for slice in slices where !slice.isEmpty {
      if !first { [UInt8(ascii: ",")].withUnsafeBufferPointer(write) }
      slice.withUnsafeBufferPointer(write)
      first = false
    }
    [UInt8(ascii: "]")].withUnsafeBufferPointer(write)
  }

  /// The response items of contiguous slices of the request's elements, each slice's items comma-separated, or
  /// `nil` when an element does not parse.
  private func responseSlices(_ request: UnsafeRawBufferPointer, ranges: [Range<Int>], workers: Int) -> [[UInt8]]? {
    let chunkCount = min(ranges.count, workers * 8)
    let chunkSize = (ranges.count + chunkCount - 1) / chunkCount
    var outputs = [[UInt8]](repeating: [], count: chunkCount)
    var failed = [Bool](repeating: false, count: chunkCount)
    outputs.withUnsafeMutableBufferPointer { outs in
      failed.withUnsafeMutableBufferPointer { fails in
        nonisolated(unsafe) let outs = outs
        nonisolated(unsafe) let fails = fails
        nonisolated(unsafe) let request = request
        // Contiguous slices keep the output in input order; Dispatch sizes the thread pool to the cores.
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
          let lower = chunk * chunkSize
          let upper = min(ranges.count, lower + chunkSize)
          guard lower < upper else { return }
          let size = ranges[upper - 1].upperBound - ranges[lower].lowerBound
          var sink = ProcessorItemText(buffer: ByteBuffer(capacity: size * 3 / 4))
          for index in lower..<upper {
            let bytes = UnsafeRawBufferPointer(rebasing: request[ranges[index]])
            guard let event = try? JSONTape(parsing: bytes, numbers: .javaScript) else {
              fails[chunk] = true
              return
            }
            processorItems(for: event.root, into: &sink)
          }
          outs[chunk] = sink.buffer.array
        }
      }
    }
    return failed.contains(true) ? nil : outputs
  }

  private func serialResponse(_ request: UnsafeRawBufferPointer) throws(ProcessorRequestError) -> [UInt8] {
    let body: JSONValue
    do { body = try JSONValue.parse(request) } catch { throw .malformed(error) }
    do { return try processorResponse(for: body).compactBytes() } catch { throw .shape(error) }
  }
}
