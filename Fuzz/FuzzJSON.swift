// libFuzzer target: the JSON parser and writers.
// Properties: no crash, no hang, no unbounded memory; an error has a place inside the input;
// parse → write → parse gives back what it should: canonical keeps every number's text (the same value); compact and
// pretty print numbers as JavaScript prints a double (R15), so they give what JSON.stringify(JSON.parse(text)) gives,
// and compact writing is a fixed point after one round;
// the top-level array splitter (used by the processor bytes pipeline) agrees with the parser.
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
    if !error.message.hasPrefix("nesting deeper"), let ranges = JSONValue.topLevelArrayElementRanges(bytes) {
      // The splitter checks structure only; if it accepts the array, some element must fail on its own.
      let allParse = ranges.allSatisfy { (try? JSONValue.parse(UnsafeRawBufferPointer(rebasing: bytes[$0]))) != nil }
      if allParse { fatalError("splitter accepted an array the parser rejects: \(error)") }
    }
    return 0
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
