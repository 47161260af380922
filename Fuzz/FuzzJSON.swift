// libFuzzer target: the JSON parser and writers.
// Properties: no crash, no hang, no unbounded memory; an error has a place inside the input;
// parse → write → parse gives back what it should: canonical keeps every number's text (the same value); compact and
// pretty print numbers as JavaScript prints a double (R15), so they give what JSON.stringify(JSON.parse(text)) gives,
// and compact writing is a fixed point after one round;
// the top-level array splitter and the array runs reader (used by the processor bytes pipeline) agree with the
// parser; a JSONTape holds what the parser gives (both number styles) and fails with the same error.
import JSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let value: JSONValue
  do {
    value = try JSONValue.parse(bytes)
  } catch {
    guard error.offset >= 0, error.offset <= size, error.line >= 1, error.column >= 1, !error.message.isEmpty else {
      fatalError("bad error position \(error) for \(size) bytes")
    }
    do {
      _ = try JSONTape(parsing: bytes, numbers: .javaScript)
      fatalError("the tape accepted a text the parser rejects: \(error)")
    } catch let tapeError {
      if tapeError != error { fatalError("the tape's error \(tapeError) is not the parser's \(error)") }
    }
    if readsWholeArray(bytes) != nil { fatalError("the runs reader accepted an array the parser rejects: \(error)") }
    if !error.message.hasPrefix("nesting deeper"), let ranges = JSONValue.topLevelArrayElementRanges(bytes) {
      // The splitter checks structure only; if it accepts the array, some element must fail on its own.
      let allParse = ranges.allSatisfy { (try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[$0]))) != nil }
      if allParse { fatalError("splitter accepted an array the parser rejects: \(error)") }
    }
    return 0
  }
  for numbers in [JSONNumberStyle.preserving, .javaScript] {
    guard let tape = try? JSONTape(parsing: bytes, numbers: numbers) else {
      fatalError("the tape rejected a valid text")
    }
    let expected = numbers == .javaScript ? value.javaScriptNumbers() : value
    if !tape.root.value.isIdentical(to: expected) { fatalError("the tape does not hold the value (\(numbers))") }
    var written = ByteBuffer(capacity: 64)
    tape.root.writeCompact(into: &written)
    if Array(written.bytes) != expected.compactBytes() { fatalError("the tape writes other bytes (\(numbers))") }
  }
  if case .array(let elements) = value {
    guard let read = readsWholeArray(bytes), read.count == elements.count,
      zip(read, elements).allSatisfy({ $0.isIdentical(to: $1) })
    else { fatalError("the runs reader does not read the array's elements") }
  }
  let skipIdentity = hasAdjacentSurrogateStandIns(value)
  let asJavaScript = javaScriptRoundTrip(value)
  for (name, text) in [
    ("compact", value.compactBytes()), ("canonical", value.canonicalBytes()),
    ("pretty", Array(value.prettyString().utf8)),
  ] {
    guard let again = try? JSONValue.parse(text) else { fatalError("\(name) output does not parse") }
    if skipIdentity { continue }
    if name == "canonical" {
      if again != value { fatalError("canonical round trip changed the value") }
    } else if again != asJavaScript {
      fatalError("\(name) round trip is not what JavaScript gives")
    }
    if name == "compact" && again.compactBytes() != text { fatalError("compact writing is not a fixed point") }
  }
  if case .array(let elements) = value, let ranges = JSONValue.topLevelArrayElementRanges(bytes) {
    guard ranges.count == elements.count else { fatalError("splitter found \(ranges.count) of \(elements.count)") }
    for (range, element) in zip(ranges, elements) {
      guard let part = try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[range])),
        part.isIdentical(to: element)
      else { fatalError("splitter range \(range) is not the element") }
    }
  }
  return 0
}

/// The elements of a top-level array read by ``JSONArrayRuns/Reader`` from the first element to the end, or `nil`
/// when the reader fails or the text is not an array.
func readsWholeArray(_ bytes: UnsafeRawBufferPointer) -> [JSONValue]? {
  guard let start = JSONArrayRuns.guessStarts(bytes, parts: 1)?.first else { return nil }
  var reader = JSONArrayRuns.Reader(bytes, start: start, numbers: .preserving)
  var elements: [JSONValue] = []
  while reader.position != nil {
    guard let tape = reader.next() else { break }
    elements.append(tape.root.value)
  }
  return reader.failed ? nil : elements
}

/// Known, documented ambiguity (`LoneSurrogate`): U+10F800–U+10FFFF stand for lone surrogates, so a high stand-in
/// followed by a low one is written as a valid `\uD8xx\uDCxx` pair and reads back as one scalar.
func hasAdjacentSurrogateStandIns(_ value: JSONValue) -> Bool {
  func check(_ s: String) -> Bool {
    var previousHigh = false
    for scalar in s.unicodeScalars {
      let unit = LoneSurrogate.unit(of: scalar)
      if previousHigh, let unit, unit >= 0xDC00 { return true }
      previousHigh = unit.map { $0 < 0xDC00 } ?? false
    }
    return false
  }
  switch value {
  case .string(let s): return check(s)
  case .array(let a): return a.contains(where: hasAdjacentSurrogateStandIns)
  case .object(let o): return o.contains { check($0.key) || hasAdjacentSurrogateStandIns($0.value) }
  default: return false
  }
}

/// What `JSON.parse(JSON.stringify(JSON.parse(text)))` holds: every number a double (`javaScriptNumbers`), and a
/// non-finite one (a literal beyond the double range) written, so read back, as `null`. (TestSupport's
/// `javaScriptRoundTrip`; the fuzz target cannot import TestSupport.)
func javaScriptRoundTrip(_ value: JSONValue) -> JSONValue {
  switch value.javaScriptNumbers() {
  case .double(let d) where !d.isFinite: return .null
  case .array(let items): return .array(items.map(javaScriptRoundTrip))
  case .object(let object): return .object(JSONObject(object.entries.map { ($0.key, javaScriptRoundTrip($0.value)) }))
  case let other: return other
  }
}
