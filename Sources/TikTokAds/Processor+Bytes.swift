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
  /// The processor response body as compact JSON, from a request body given as UTF-8 bytes.
  ///
  /// Large request arrays are split at their top-level elements and parsed, transformed and written in contiguous
  /// slices on all cores (`workers` > 1; Dispatch sizes the pool); the output keeps input order and equals
  /// `processorResponse(for:)` written compactly. When the bytes are malformed, the whole text is parsed once more to report the exact position.
  /// - Throws: ``ProcessorRequestError``.
  public func processorResponseBytes(request: UnsafeRawBufferPointer, workers: Int = 2) throws(ProcessorRequestError)
    -> [UInt8]
  {
    guard workers > 1, let ranges = JSONValue.topLevelArrayElementRanges(request), ranges.count >= 256 else {
      return try serialResponse(request)
    }
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
          var out: [UInt8] = []
          out.reserveCapacity((ranges[upper - 1].upperBound - ranges[lower].lowerBound) * 3 / 4)
          var items: [JSONValue] = []
          for index in lower..<upper {
            guard let event = try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: request[ranges[index]])) else {
              fails[chunk] = true
              return
            }
            items.removeAll(keepingCapacity: true)
            processorItems(for: event.javaScriptNumbers(), into: &items)
            for item in items {
              if !out.isEmpty { out.append(UInt8(ascii: ",")) }
              item.writeCompact(into: &out)
            }
          }
          outs[chunk] = out
        }
      }
    }
    if failed.contains(true) { return try serialResponse(request) }
    var result: [UInt8] = [UInt8(ascii: "[")]
    result.reserveCapacity(outputs.reduce(2) { $0 + $1.count + 1 })
    var first = true
    for out in outputs where !out.isEmpty {
      if !first { result.append(UInt8(ascii: ",")) }
      result.append(contentsOf: out)
      first = false
    }
    result.append(UInt8(ascii: "]"))
    return result
  }

  private func serialResponse(_ request: UnsafeRawBufferPointer) throws(ProcessorRequestError) -> [UInt8] {
    let body: JSONValue
    do { body = try JSONValue.parse(request) } catch { throw .malformed(error) }
    do { return try processorResponse(for: body).compactBytes() } catch { throw .shape(error) }
  }
}
