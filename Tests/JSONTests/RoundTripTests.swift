import Foundation
import JSON
import TestSupport
import Testing

/// Random JSON values covering every case, escapes, non-ASCII, lone surrogates and extreme numbers.
struct ValueGenerator {
  var rng: SeededRandom

  /// Scalars strings are drawn from: ASCII, controls, escapes, 2/3/4-byte UTF-8, mapped lone surrogates.
  static let scalars: [UInt32] = [
    0x61, 0x5A, 0x30, 0x20, 0x22, 0x5C, 0x2F, 0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x7F,
    0xE9, 0x3B1, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0xFEFF, 0xFFFF, 0x10000, 0x1F600, 0x10F7FF,
    0x10F800, 0x10FBFF, 0x10FC00, 0x10FFFF,
  ]

  mutating func string() -> String {
    var s = String.UnicodeScalarView()
    var previousWasMappedHigh = false
    for _ in 0..<Int.random(in: 0...12, using: &rng) {
      var v = Self.scalars.randomElement(using: &rng) ?? 0x61
      // A mapped high surrogate followed by a mapped low one would be written as a valid pair and read back as
      // one supplementary scalar (the documented limit of the mapping), so keep them apart.
      if previousWasMappedHigh && (0x10FC00...0x10FFFF).contains(v) { v = 0x61 }
      previousWasMappedHigh = (0x10F800...0x10FBFF).contains(v)
      s.append(Unicode.Scalar(v) ?? "a")
    }
    return String(s)
  }

  mutating func number() -> JSONValue {
    switch Int.random(in: 0..<8, using: &rng) {
    case 0: return .int(Int64.random(in: -1000...1000, using: &rng))
    case 1: return .int(Int64(bitPattern: rng.next()))
    case 2: return .int([Int64.min, Int64.max, 0, -1].randomElement(using: &rng) ?? 0)
    case 3:
      let d = Double(bitPattern: rng.next())
      return .double(d.isFinite ? d : 1.5)
    case 4: return .double(Double(Int.random(in: -100...100, using: &rng)) / 8)
    case 5:
      return .double(
        [0.0, -0.0, .leastNonzeroMagnitude, 1e16, 1e-7, .greatestFiniteMagnitude, 46].randomElement(using: &rng) ?? 0)
    case 6: return .numberLiteral(String(UInt64.random(in: UInt64(Int64.max) + 2...UInt64.max, using: &rng)) + "0")
    default:
      return .numberLiteral(
        ["1e400", "-2.5E+999", "123456789012345678901234567890"].randomElement(using: &rng) ?? "1e400")
    }
  }

  mutating func value(depth: Int) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &rng)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2, 3: return number()
    case 4, 5: return .string(string())
    case 6: return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in value(depth: depth - 1) })
    default:
      var object = JSONObject()
      for _ in 0..<Int.random(in: 0...6, using: &rng) { object[string()] = value(depth: depth - 1) }
      return .object(object)
    }
  }
}

@Suite struct RoundTripTests {
  @Test func randomValuesRoundTripExactly() throws {
    var generator = ValueGenerator(rng: SeededRandom(seed: 0x5EED_1234))
    for i in 0..<500 {
      let value = generator.value(depth: 4)
      // Compact and pretty text print numbers as JavaScript does (R15): equal to the value JavaScript reads,
      // and a fixed point after one round.
      let compact = value.compactBytes()
      let parsed = try JSONValue.parse(compact)
      #expect(parsed == value.javaScriptRoundTrip, "case \(i): \(value.compactString())")
      #expect(parsed.compactBytes() == compact, "case \(i)")
      #expect(try JSONValue.parse(value.prettyString()) == value.javaScriptRoundTrip, "case \(i)")
      // Canonical text keeps every number's own text: parsing it back gives the identical value, keys sorted.
      let canonical = try JSONValue.parse(value.canonicalString())
      #expect(canonical == value, "case \(i)")
      #expect(canonical.canonicalString() == value.canonicalString(), "case \(i)")
    }
  }

  /// `../shared/conformance/upstream` next to the package root.
  static let upstreamFolder: URL = Paths.upstreamVectors

  static var upstreamFiles: [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: upstreamFolder.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { upstreamFolder.appendingPathComponent($0) }
  }

  @Test(
    "every upstream conformance file parses and round-trips",
    .enabled(if: !upstreamFiles.isEmpty, "no ../shared/conformance/upstream/*.json next to the package root")
  )
  func upstreamConformanceFiles() throws {
    for file in Self.upstreamFiles {
      let bytes = try [UInt8](Data(contentsOf: file))
      let value = try JSONValue.parse(bytes)
      let compact = value.compactBytes()
      let again = try JSONValue.parse(compact)
      #expect(again == value, "\(file.lastPathComponent)")
      #expect(compact.count < bytes.count, "\(file.lastPathComponent)")
      #expect(try JSONValue.parse(value.canonicalBytes()) == value, "\(file.lastPathComponent)")
    }
  }
}
