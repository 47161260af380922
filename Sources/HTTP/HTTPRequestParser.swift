/// Size limits enforced while parsing a request.
public struct HTTPParserLimits: Sendable, Equatable {
  /// Longest request line (method, target, version) in bytes; longer → 414.
  public var maxRequestLine: Int
  /// Largest header block (request line included) in bytes; larger → 431. Also bounds chunked trailers.
  public var maxHeaderBytes: Int
  /// Most header fields; more → 431.
  public var maxHeaderCount: Int
  /// Largest body in bytes (after de-chunking); larger → 413.
  public var maxBodyBytes: Int

  public init(
    maxRequestLine: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100,
    maxBodyBytes: Int = 8 * 1024 * 1024
  ) {
    self.maxRequestLine = maxRequestLine
    self.maxHeaderBytes = maxHeaderBytes
    self.maxHeaderCount = maxHeaderCount
    self.maxBodyBytes = maxBodyBytes
  }
}

/// Why a request could not be parsed; each case knows the status to answer with.
public enum HTTPParseError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The request line is not `METHOD SP TARGET SP HTTP/1.x`.
  case malformedRequestLine
  /// The request line exceeds ``HTTPParserLimits/maxRequestLine``.
  case requestLineTooLong
  /// A header line is malformed (no colon, space before the colon, obsolete folding, bad bytes).
  case malformedHeader
  /// The header block (or chunked trailer) exceeds ``HTTPParserLimits/maxHeaderBytes`` or the field count limit.
  case headersTooLarge
  /// `Content-Length` is not a decimal number, or duplicates disagree.
  case invalidContentLength
  /// Both `Content-Length` and `Transfer-Encoding`, or `chunked` is not the final coding.
  case conflictingFraming
  /// A transfer coding other than `chunked`.
  case unsupportedTransferEncoding
  /// The body exceeds ``HTTPParserLimits/maxBodyBytes``.
  case bodyTooLarge
  /// A chunk size line or chunk terminator is malformed.
  case malformedChunk
  /// An HTTP version other than 1.0 and 1.1.
  case unsupportedVersion
  /// An `Expect` value other than `100-continue`.
  case unsupportedExpectation

  /// The status code to answer with.
  public var status: Int {
    switch self {
    case .requestLineTooLong: return 414
    case .headersTooLarge: return 431
    case .bodyTooLarge: return 413
    case .unsupportedTransferEncoding: return 501
    case .unsupportedVersion: return 505
    case .unsupportedExpectation: return 417
    default: return 400
    }
  }

  public var description: String {
    switch self {
    case .malformedRequestLine: return "malformed request line"
    case .requestLineTooLong: return "request line too long"
    case .malformedHeader: return "malformed header field"
    case .headersTooLarge: return "header block too large"
    case .invalidContentLength: return "invalid content-length"
    case .conflictingFraming: return "conflicting message framing"
    case .unsupportedTransferEncoding: return "unsupported transfer-encoding"
    case .bodyTooLarge: return "body too large"
    case .malformedChunk: return "malformed chunk"
    case .unsupportedVersion: return "unsupported http version"
    case .unsupportedExpectation: return "unsupported expectation"
    }
  }
}

/// An incremental, pure HTTP/1.x request parser: feed bytes as they arrive, take requests out.
///
/// It holds no sockets and does no I/O, so it can be fuzzed on its own. After it throws, it stays failed.
public struct HTTPRequestParser: Sendable {
  /// What ``next()`` found.
  public enum Event: Sendable, Equatable {
    /// The head of a request asking `Expect: 100-continue` is complete and its body is not: answer `100 Continue`.
    case continueExpected
    /// A complete request.
    case request(HTTPRequest)
  }

  private enum State: Sendable {
    case head
    case fixedBody(remaining: Int)
    case chunkSize
    case chunkData(remaining: Int)
    case chunkEnd
    case trailers(bytes: Int)
  }

  /// The limits in force.
  public let limits: HTTPParserLimits
  private var buffer: [UInt8] = []
  private var start = 0
  private var scanned = 0
  private var state: State = .head
  private var current: HTTPRequest?
  private var wantsContinue = false
  private var failure: HTTPParseError?

  public init(limits: HTTPParserLimits = HTTPParserLimits()) { self.limits = limits }

  /// `true` when bytes of an unfinished request are buffered (used for read timeouts).
  public var hasPartialRequest: Bool {
    if case .head = state { return start < buffer.count }
    return true
  }

  /// Appends received bytes.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    compactIfNeeded()
    buffer.append(contentsOf: bytes)
  }

  /// Appends received bytes.
  public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
    compactIfNeeded()
    buffer.append(contentsOf: bytes)
  }

  private mutating func compactIfNeeded() {
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      scanned = 0
      start = 0
    } else if start > 65_536 {
      buffer.removeSubrange(0..<start)
      scanned -= start
      start = 0
    }
  }

  /// The next event, or `nil` when more bytes are needed.
  /// - Throws: ``HTTPParseError`` for a request that must be refused; the connection should answer and close.
  public mutating func next() throws(HTTPParseError) -> Event? {
    if let failure { throw failure }
    do {
      return try step()
    } catch {
      failure = error
      throw error
    }
  }

  private mutating func step() throws(HTTPParseError) -> Event? {
    while true {
      switch state {
      case .head:
        guard try parseHead() else { return nil }
        if wantsContinue {
          wantsContinue = false
          return .continueExpected
        }
      case .fixedBody(let remaining):
        let available = buffer.count - start
        if available < remaining { return nil }
        current!.body.append(contentsOf: buffer[start..<start + remaining])
        start += remaining
        return finish()
      case .chunkSize:
        guard let lineEnd = findLF(from: start, limit: 1024) else {
          if buffer.count - start > 1024 { throw .malformedChunk }
          return nil
        }
        let size = try parseChunkSize(start, lineEnd)
        start = lineEnd + 1
        if size == 0 {
          state = .trailers(bytes: 0)
        } else {
          if current!.body.count + size > limits.maxBodyBytes { throw .bodyTooLarge }
          state = .chunkData(remaining: size)
        }
      case .chunkData(let remaining):
        let available = buffer.count - start
        if available == 0 { return nil }
        let n = min(available, remaining)
        current!.body.append(contentsOf: buffer[start..<start + n])
        start += n
        state = n == remaining ? .chunkEnd : .chunkData(remaining: remaining - n)
      case .chunkEnd:
        let available = buffer.count - start
        if available == 0 { return nil }
        if buffer[start] == 10 {
          start += 1
        } else if buffer[start] == 13 {
          if available < 2 { return nil }
          guard buffer[start + 1] == 10 else { throw .malformedChunk }
          start += 2
        } else {
          throw .malformedChunk
        }
        state = .chunkSize
      case .trailers(let bytes):
        let room = limits.maxHeaderBytes - bytes
        guard let lineEnd = findLF(from: start, limit: room) else {
          if buffer.count - start > room { throw .headersTooLarge }
          return nil
        }
        let length = lineEnd - start
        let empty = length == 0 || (length == 1 && buffer[start] == 13)
        start = lineEnd + 1
        if empty { return finish() }
        state = .trailers(bytes: bytes + length + 1)
      }
    }
  }

  private mutating func finish() -> Event {
    let request = current!
    current = nil
    state = .head
    return .request(request)
  }

  private func findLF(from: Int, limit: Int) -> Int? {
    let end = min(buffer.count, from + limit + 1)
    if from >= end { return nil }
    return buffer.withUnsafeBufferPointer { p -> Int? in
      var i = from
      while i < end {
        if p[i] == 10 { return i }
        i += 1
      }
      return nil
    }
  }

  private func parseChunkSize(_ from: Int, _ lineEnd: Int) throws(HTTPParseError) -> Int {
    var i = from
    var size = 0
    var digits = 0
    while i < lineEnd, let h = hexValue(buffer[i]) {
      if digits >= 15 { throw .malformedChunk }
      size = size << 4 | Int(h)
      digits += 1
      i += 1
    }
    if digits == 0 { throw .malformedChunk }
    // Optional whitespace and chunk extensions (`;name=value`) are allowed and ignored.
    let end = lineEnd > i && buffer[lineEnd - 1] == 13 ? lineEnd - 1 : lineEnd
    while i < end, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
    if i < end {
      guard buffer[i] == UInt8(ascii: ";") else { throw .malformedChunk }
      for j in i..<end where (buffer[j] < 0x20 && buffer[j] != 9) || buffer[j] == 0x7F { throw .malformedChunk }
    }
    return size
  }

  /// Parses the head once it is complete; returns `false` when more bytes are needed.
  private mutating func parseHead() throws(HTTPParseError) -> Bool {
    // Ignore empty lines before the request line (RFC 9112 §2.2).
    while start < buffer.count, buffer[start] == 13 || buffer[start] == 10 {
      if buffer[start] == 13 {
        // A CR must be followed by LF; one that ends this read waits for the next byte (found by fuzzing: the
        // outcome must not depend on where reads split).
        if start + 1 == buffer.count { return false }
        if buffer[start + 1] != 10 { throw .malformedRequestLine }
      }
      start += 1
    }
    if start == buffer.count { return false }
    // Find the blank line that ends the head.
    let from = max(scanned, start)
    let limitEnd = start + limits.maxHeaderBytes
    let headEnd: Int? = buffer.withUnsafeBufferPointer { p -> Int? in
      var i = from
      let end = min(p.count, limitEnd + 4)
      while i < end {
        if p[i] == 10 {
          if i + 1 < p.count && p[i + 1] == 10 { return i + 2 }
          if i + 2 < p.count && p[i + 1] == 13 && p[i + 2] == 10 { return i + 3 }
        }
        i += 1
      }
      return nil
    }
    guard let headEnd else {
      scanned = max(start, buffer.count - 3)
      // Enforce limits on an unfinished head.
      // `+ 1` leaves room for the CR of a CRLF after a request line of exactly the limit (found by fuzzing: a
      // read ending between that CR and its LF refused a request that a single read accepted).
      if findLF(from: start, limit: limits.maxRequestLine + 1) == nil
        && buffer.count - start > limits.maxRequestLine + 1
      {
        throw .requestLineTooLong
      }
      // A finished head may be `maxHeaderBytes + 4` long (its blank line), so an unfinished one may be too.
      if buffer.count - start > limits.maxHeaderBytes + 4 { throw .headersTooLarge }
      return false
    }
    if headEnd - start > limits.maxHeaderBytes + 4 { throw .headersTooLarge }
    scanned = 0
    var request = try buffer.withUnsafeBufferPointer { p throws(HTTPParseError) in
      try parseHeadBytes(UnsafeBufferPointer(rebasing: p[start..<headEnd]))
    }
    start = headEnd
    try chooseFraming(&request)
    return true
  }

  private func parseHeadBytes(_ p: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequest {
    // Split into lines (LF, with an optional CR before it).
    var lines: [Range<Int>] = []
    var lineStart = 0
    for i in 0..<p.count where p[i] == 10 {
      var end = i
      if end > lineStart && p[end - 1] == 13 { end -= 1 }
      lines.append(lineStart..<end)
      lineStart = i + 1
    }
    // The last line is the empty terminator.
    guard lines.count >= 2 else { throw .malformedRequestLine }
    let requestLine = lines[0]
    if requestLine.count > limits.maxRequestLine { throw .requestLineTooLong }
    if lines.count - 2 > limits.maxHeaderCount { throw .headersTooLarge }

    // Request line: METHOD SP TARGET SP HTTP/1.x
    guard let sp1 = (requestLine.lowerBound..<requestLine.upperBound).first(where: { p[$0] == 0x20 }) else {
      throw .malformedRequestLine
    }
    guard let sp2 = (sp1 + 1..<requestLine.upperBound).first(where: { p[$0] == 0x20 }) else {
      throw .malformedRequestLine
    }
    let methodRange = requestLine.lowerBound..<sp1
    let targetRange = sp1 + 1..<sp2
    let versionRange = sp2 + 1..<requestLine.upperBound
    guard !methodRange.isEmpty, methodRange.allSatisfy({ isTokenByte(p[$0]) }) else { throw .malformedRequestLine }
    guard !targetRange.isEmpty, targetRange.allSatisfy({ p[$0] > 0x20 && p[$0] != 0x7F }) else {
      throw .malformedRequestLine
    }
    let minor = try parseVersion(p, versionRange)
    var headers = HTTPHeaders()
    headers.fields.reserveCapacity(lines.count - 2)
    for line in lines[1..<(lines.count - 1)] {
      guard let colon = line.first(where: { p[$0] == 0x3A }) else { throw .malformedHeader }
      let nameRange = line.lowerBound..<colon
      guard !nameRange.isEmpty, nameRange.allSatisfy({ isTokenByte(p[$0]) }) else { throw .malformedHeader }
      var vs = colon + 1
      var ve = line.upperBound
      while vs < ve && (p[vs] == 0x20 || p[vs] == 0x09) { vs += 1 }
      while ve > vs && (p[ve - 1] == 0x20 || p[ve - 1] == 0x09) { ve -= 1 }
      for i in vs..<ve where (p[i] < 0x20 && p[i] != 0x09) || p[i] == 0x7F { throw .malformedHeader }
      headers.fields.append(
        HTTPHeaders.Field(
          name: String(decoding: UnsafeBufferPointer(rebasing: p[nameRange]), as: UTF8.self),
          value: String(decoding: UnsafeBufferPointer(rebasing: p[vs..<ve]), as: UTF8.self)))
    }
    return HTTPRequest(
      method: String(decoding: UnsafeBufferPointer(rebasing: p[methodRange]), as: UTF8.self),
      target: String(decoding: UnsafeBufferPointer(rebasing: p[targetRange]), as: UTF8.self),
      minorVersion: minor, headers: headers)
  }

  private func parseVersion(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) throws(HTTPParseError) -> Int {
    // "HTTP/" DIGIT "." DIGIT
    let b = r.lowerBound
    guard r.count == 8, p[b] == 0x48, p[b + 1] == 0x54, p[b + 2] == 0x54, p[b + 3] == 0x50, p[b + 4] == 0x2F,
      p[b + 6] == 0x2E
    else { throw .malformedRequestLine }
    let major = p[r.lowerBound + 5]
    let minor = p[r.lowerBound + 7]
    guard (0x30...0x39).contains(major), (0x30...0x39).contains(minor) else { throw .malformedRequestLine }
    guard major == 0x31, minor == 0x30 || minor == 0x31 else { throw .unsupportedVersion }
    return Int(minor - 0x30)
  }

  private mutating func chooseFraming(_ request: inout HTTPRequest) throws(HTTPParseError) {
    let te = request.headers.values(for: "Transfer-Encoding")
    let cl = request.headers.values(for: "Content-Length")
    var chunked = false
    var length = 0
    if !te.isEmpty {
      if !cl.isEmpty { throw .conflictingFraming }
      let codings = te.flatMap { $0.split(separator: ",").map { $0.trimmingASCIIWhitespace().lowercased() } }
      guard let last = codings.last, last == "chunked" else {
        if codings.contains(where: { $0 != "chunked" && $0 != "identity" && !$0.isEmpty }) {
          throw .unsupportedTransferEncoding
        }
        throw .conflictingFraming
      }
      if codings.dropLast().contains(where: { $0 == "chunked" }) { throw .conflictingFraming }
      if codings.dropLast().contains(where: { $0 != "identity" }) { throw .unsupportedTransferEncoding }
      if request.minorVersion == 0 { throw .conflictingFraming }
      chunked = true
    } else if cl.count == 1, let n = plainDecimal(cl[0]) {
      // The usual case: one Content-Length of plain digits.
      length = n
      if length > limits.maxBodyBytes { throw .bodyTooLarge }
    } else if !cl.isEmpty {
      var value: Int?
      for field in cl {
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
          let text = part.trimmingASCIIWhitespace()
          guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let n = Int(text)
          else { throw .invalidContentLength }
          if let value, value != n { throw .invalidContentLength }
          value = n
        }
      }
      length = value ?? 0
      if length > limits.maxBodyBytes { throw .bodyTooLarge }
    }
    var expectsContinue = false
    if let expect = request.headers["Expect"] {
      guard asciiCaseInsensitiveEqual(expect.trimmingCharacters(), "100-continue") else {
        throw .unsupportedExpectation
      }
      expectsContinue = request.minorVersion >= 1
    }
    if chunked {
      state = .chunkSize
      wantsContinue = expectsContinue && buffer.count == start
    } else if length > 0 {
      request.body.reserveCapacity(length)
      state = .fixedBody(remaining: length)
      wantsContinue = expectsContinue && buffer.count - start < length
    } else {
      state = .fixedBody(remaining: 0)
    }
    current = request
  }
}

/// `text` as a decimal number when it is 1 to 18 ASCII digits and nothing else.
private func plainDecimal(_ text: String) -> Int? {
  var n = 0
  var count = 0
  for b in text.utf8 {
    guard b >= 0x30 && b <= 0x39, count < 18 else { return nil }
    n = n * 10 + Int(b - 0x30)
    count += 1
  }
  return count > 0 ? n : nil
}

extension String {
  fileprivate func trimmingCharacters() -> String { self[...].trimmingASCIIWhitespace() }
}

/// RFC 9110 `tchar`.
@inline(__always)
func isTokenByte(_ b: UInt8) -> Bool {
  switch b {
  case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
  case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
    UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
    UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
    return true
  default: return false
  }
}
