// libFuzzer target: the incremental HTTP/1.x request parser.
// Properties: no crash, no hang; the buffer never grows past the limits (every input ends in requests, a wait for
// more bytes, or an error); how the bytes are split into reads never changes the requests or the error.
import HTTP

let fuzzLimits = HTTPParserLimits(maxRequestLine: 1024, maxHeaderBytes: 4096, maxHeaderCount: 32, maxBodyBytes: 65_536)

struct Outcome: Equatable {
  var requests: [HTTPRequest] = []
  var error: HTTPParseError?
}

func run(_ bytes: UnsafeRawBufferPointer, cuts: [Int]) -> Outcome {
  var parser = HTTPRequestParser(limits: fuzzLimits)
  var outcome = Outcome()
  var i = 0
  var k = 0
  while i < bytes.count {
    let n = cuts.isEmpty ? bytes.count : max(1, cuts[k % cuts.count])
    k += 1
    let end = min(bytes.count, i + n)
    parser.append(UnsafeRawBufferPointer(rebasing: bytes[i..<end]))
    i = end
    do {
      while let event = try parser.next() {
        if case .request(let r) = event { outcome.requests.append(r) }
      }
    } catch {
      outcome.error = error
      guard (try? parser.next()) == nil else { fatalError("parser recovered after \(error)") }
      return outcome
    }
  }
  return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let all = UnsafeRawBufferPointer(start: data, count: size)
  // The first byte chooses the read sizes; the rest is the stream.
  let cutByte = Int(all[0])
  let bytes = UnsafeRawBufferPointer(rebasing: all[1...])
  let whole = run(bytes, cuts: [])
  let split = run(bytes, cuts: [1 + cutByte % 7, 1 + cutByte, 3])
  if whole != split {
    fatalError(
      "split changed the outcome: \(whole.error.map { "\($0)" } ?? "ok") vs \(split.error.map { "\($0)" } ?? "ok"), \(whole.requests.count) vs \(split.requests.count) requests"
    )
  }
  for r in whole.requests {
    _ = r.path
    _ = r.query
    _ = r.queryItems
    _ = r.keepAlive
  }
  return 0
}
