import HTTP
import TestSupport
import Testing

/// Seeded properties of the incremental HTTP request parser: how the bytes are split never changes the outcome,
/// generated requests come back exactly, and arbitrary bytes end in a request, a wait or an error — never a crash,
/// and never a buffer that grows past the limits.
@Suite struct HTTPParserPropertyTests {
  /// What a parser made of a byte stream: the requests, then the error that stopped it (if any).
  struct Outcome: Equatable {
    var requests: [HTTPRequest] = []
    var error: HTTPParseError?
  }

  static let limits = HTTPParserLimits(
    maxRequestLine: 512, maxHeaderBytes: 2048, maxHeaderCount: 20, maxBodyBytes: 4096)

  /// Feeds `bytes` in pieces whose sizes come from `cuts` (cycled); `[]` feeds everything at once.
  static func run(_ bytes: [UInt8], cuts: [Int], limits: HTTPParserLimits = limits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var i = 0
    var k = 0
    while i < bytes.count {
      let n = cuts.isEmpty ? bytes.count : max(1, cuts[k % cuts.count])
      k += 1
      let end = min(bytes.count, i + n)
      parser.append(contentsOf: bytes[i..<end])
      i = end
      do {
        while let event = try parser.next() {
          if case .request(let r) = event { outcome.requests.append(r) }
        }
      } catch {
        outcome.error = error
        // A failed parser stays failed.
        #expect(throws: error) { try parser.next() }
        return outcome
      }
    }
    return outcome
  }

  struct Generated {
    var bytes: [UInt8] = []
    var requests: [HTTPRequest] = []
  }

  static let tchars = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8)

  /// A stream of well-formed requests (Content-Length, chunked with extensions and trailers, or no body).
  static func generate(_ r: inout SeededRandom) -> Generated {
    var g = Generated()
    for _ in 0..<(1 + r.below(4)) {
      let method = r.pick(["GET", "POST", "PUT", "DELETE", "PATCH", "M-SEARCH"])
      let target = r.pick([
        "/", "/open_api/v1.3/event/track/", "/__admin/requests?since=4&path=event/track", "*", "/a%20b?x=%ZZ&y",
      ])
      let minor = r.chance(0.85) ? 1 : 0
      let eol = r.chance(0.9) ? "\r\n" : "\n"
      var head = "\(method) \(target) HTTP/1.\(minor)\(eol)"
      var headers = HTTPHeaders()
      for _ in 0..<r.below(5) {
        let name = String(decoding: (0..<(1 + r.below(10))).map { _ in r.pick(tchars) }, as: UTF8.self)
        let lower = name.lowercased()
        if ["content-length", "transfer-encoding", "expect"].contains(lower) { continue }
        let value = r.pick(["", "x", "a b  c", "é", "token-1234", "\t", "1, 2"])
        head += "\(name):\(r.pick([" ", "", "\t", "  "]))\(value)\(r.pick(["", " "]))\(eol)"
        headers.add(
          name, String(value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
      }
      let body = r.bytes(r.below(300))
      var tail: [UInt8] = []
      if body.isEmpty && r.chance(0.5) {
        // no framing header
      } else if minor == 1 && r.chance(0.4) {
        head += "Transfer-Encoding: chunked\(eol)"
        headers.add("Transfer-Encoding", "chunked")
        var rest = body[...]
        while !rest.isEmpty {
          let n = min(rest.count, 1 + r.below(100))
          tail += Array("\(String(n, radix: 16, uppercase: r.chance(0.5)))\(r.pick(["", ";ext=1", " ;a"]))\r\n".utf8)
          tail += rest.prefix(n)
          tail += Array("\r\n".utf8)
          rest = rest.dropFirst(n)
        }
        tail += Array("0\r\n\(r.chance(0.3) ? "Trailer-Field: v\r\n" : "")\r\n".utf8)
      } else {
        head += "Content-Length: \(body.count)\(eol)"
        headers.add("Content-Length", "\(body.count)")
        tail = body
      }
      head += eol
      g.bytes += Array(head.utf8) + tail
      g.requests.append(HTTPRequest(method: method, target: target, minorVersion: minor, headers: headers, body: body))
    }
    return g
  }

  @Test func generatedRequestsComeBackWhateverTheSplit() {
    var r = SeededRandom(seed: 0x150_0101)
    for _ in 0..<1_500 {
      let g = Self.generate(&r)
      let whole = Self.run(g.bytes, cuts: [])
      #expect(whole.error == nil, "\(String(decoding: g.bytes, as: UTF8.self).debugDescription)")
      #expect(whole.requests == g.requests, "\(String(decoding: g.bytes, as: UTF8.self).debugDescription)")
      let cuts = (0..<8).map { _ in 1 + r.below(r.chance(0.3) ? 3 : 200) }
      #expect(Self.run(g.bytes, cuts: cuts) == whole)
    }
  }

  @Test func mutatedStreamsGiveTheSameOutcomeWhateverTheSplit() {
    var r = SeededRandom(seed: 0x150_0102)
    let alphabet = Array(" \r\n:;,0123456789abcdefABCDEF-/HTTP.".utf8) + [0, 0x7F, 0x80, 0xFF, 0x09]
    var errors = 0
    for _ in 0..<4_000 {
      var bytes = Self.generate(&r).bytes
      for _ in 0..<(1 + r.below(3)) {
        let at = r.below(bytes.count + 1)
        switch r.below(4) {
        case 0 where at < bytes.count: bytes[at] = r.pick(alphabet)
        case 1: bytes.insert(r.pick(alphabet), at: at)
        case 2 where at < bytes.count: bytes.remove(at: at)
        default:
          bytes.insert(
            contentsOf: Array(
              r.pick([
                "Content-Length: 7\r\n", "Transfer-Encoding: chunked\r\n", "Expect: 100-continue\r\n", "\r\n\r\n",
                "ffffffffffffffff\r\n", "Content-Length: 99999999999999999999\r\n",
              ]).utf8), at: at)
        }
      }
      let whole = Self.run(bytes, cuts: [])
      if whole.error != nil { errors += 1 }
      let cuts = (0..<8).map { _ in 1 + r.below(r.chance(0.3) ? 3 : 200) }
      #expect(Self.run(bytes, cuts: cuts) == whole, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
    #expect(errors > 200)
  }

  @Test func randomBytesNeverCrash() {
    var r = SeededRandom(seed: 0x150_0103)
    for _ in 0..<3_000 {
      let bytes = r.bytes(r.below(200))
      #expect(Self.run(bytes, cuts: [1 + r.below(16)]) == Self.run(bytes, cuts: []))
    }
  }

  /// Regression (fuzz-http): a CR at the end of one read, before the request line, was taken as a line end, so
  /// `"\r\u{11}"` failed when read at once and was accepted when split after the CR.
  @Test func bareCRBeforeTheRequestLineFailsWhateverTheSplit() {
    let bytes = Array("\n\n\n\r\u{11}GET / HTTP/1.1\r\n\r\n".utf8)
    #expect(Self.run(bytes, cuts: []).error == .malformedRequestLine)
    #expect(Self.run(bytes, cuts: [4, 1000]).error == .malformedRequestLine)
    // A CRLF split between reads is still fine.
    let ok = Array("\r\nGET / HTTP/1.1\r\n\r\n".utf8)
    #expect(Self.run(ok, cuts: [1, 1000]).requests.count == 1)
  }

  /// Regression (fuzz-http): a request line of exactly `maxRequestLine` bytes followed by CRLF was refused as too
  /// long when a read ended between the CR and the LF, and accepted when read at once.
  @Test func requestLineAtTheLimitWhateverTheSplit() {
    let line = "GET /" + String(repeating: "a", count: Self.limits.maxRequestLine - 14) + " HTTP/1.1"
    #expect(line.utf8.count == Self.limits.maxRequestLine)
    let bytes = Array((line + "\r\nHost: h\r\n\r\n").utf8)
    let whole = Self.run(bytes, cuts: [])
    #expect(whole.error == nil && whole.requests.count == 1)
    #expect(Self.run(bytes, cuts: [line.utf8.count + 1, 1000]) == whole)
    // One byte more is too long, however it is read.
    let long = Array(("GET /a" + line.dropFirst(5) + "\r\n\r\n").utf8)
    #expect(Self.run(long, cuts: []).error == .requestLineTooLong)
    #expect(Self.run(long, cuts: [line.utf8.count + 2, 1000]).error == .requestLineTooLong)
    #expect(Self.run(long, cuts: [1]).error == .requestLineTooLong)
  }

  /// An endless head, header block, chunk-size line or trailer is refused once it passes the limit, so a
  /// hostile client cannot make the buffer grow without bound.
  @Test(arguments: [
    ("GET /", "a", HTTPParseError.requestLineTooLong),
    ("GET / HTTP/1.1\r\n", "X-A: b\r\n", .headersTooLarge),
    ("GET / HTTP/1.1\r\nX: ", "a", .headersTooLarge),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1", "0", .malformedChunk),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "T: v\r\n", .headersTooLarge),
    ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "10\r\n0123456789abcdef\r\n", .bodyTooLarge),
  ])
  func endlessInputIsRefusedAtTheLimit(prefix: String, repeated: String, expected: HTTPParseError) {
    let bytes = Array(prefix.utf8) + Array(String(repeating: repeated, count: 20_000 / repeated.utf8.count).utf8)
    #expect(Self.run(bytes, cuts: [97]).error == expected)
  }
}
