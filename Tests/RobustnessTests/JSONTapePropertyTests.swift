import TestSupport
import Testing

@testable import JSON

/// Seeded properties of ``JSONTape``: on any bytes it accepts what the value parser accepts, with the same error
/// otherwise; it holds the same value (in both number styles); every member and element read, and every path of
/// a ``JSONPathTable``, answers as the same read on the value.
@Suite struct JSONTapePropertyTests {
  static func parseTape(_ bytes: [UInt8], _ numbers: JSONNumberStyle) throws(JSONParseError) -> JSONTape {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(JSONParseError) in try JSONTape(parsing: raw, numbers: numbers) }
    }
    return try result.get()
  }

  /// The tape of `bytes` against the value parser, in both number styles.
  static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = Result { () throws(JSONParseError) in try JSONValue.parse(bytes) }
    // The tape's own loop accepts what the value parser accepts (else it would fall back to it, unseen).
    let direct = bytes.withUnsafeBufferPointer { JSONTape.parse($0, numbers: .preserving, maxDepth: 1000) }
    if case .success = expected, direct == nil {
      Issue.record("the tape parser rejects \(JSONPropertyTests.hex(bytes))", sourceLocation: sourceLocation)
    }
    for numbers in [JSONNumberStyle.preserving, .javaScript] {
      let tape = Result { () throws(JSONParseError) in try parseTape(bytes, numbers) }
      switch (expected, tape) {
      case (.failure(let a), .failure(let b)):
        #expect(a == b, "\(JSONPropertyTests.hex(bytes))", sourceLocation: sourceLocation)
      case (.success(let value), .success(let tape)):
        let value = numbers == .javaScript ? value.javaScriptNumbers() : value
        #expect(
          tape.root.value.isIdentical(to: value), "\(JSONPropertyTests.hex(bytes))", sourceLocation: sourceLocation)
        checkReads(tape.root, value, sourceLocation: sourceLocation)
      default:
        Issue.record(
          "tape and value parser disagree on \(JSONPropertyTests.hex(bytes))", sourceLocation: sourceLocation)
      }
    }
  }

  /// Every read on `ref` answers as on `value`, all the way down.
  static func checkReads(_ ref: JSONRef, _ value: JSONValue, sourceLocation: SourceLocation) {
    #expect(ref.value.isIdentical(to: value), sourceLocation: sourceLocation)
    var written = ByteBuffer(capacity: 16)
    ref.writeCompact(into: &written)
    #expect(Array(written.bytes) == value.compactBytes(), sourceLocation: sourceLocation)
    switch value {
    case .object(let object):
      #expect(ref.count == object.count, sourceLocation: sourceLocation)
      #expect(ref.members.map(\.key) == object.keys, sourceLocation: sourceLocation)
      for entry in object.entries {
        guard let member = ref[entry.key] else {
          Issue.record("member \(entry.key.debugDescription) not found", sourceLocation: sourceLocation)
          continue
        }
        checkReads(member, entry.value, sourceLocation: sourceLocation)
      }
      #expect(ref["\u{1}absent"] == nil, sourceLocation: sourceLocation)
    case .array(let elements):
      #expect(
        ref.count == elements.count && Array(ref.elements).count == elements.count, sourceLocation: sourceLocation)
      for (i, (element, expected)) in zip(ref.elements, elements).enumerated() {
        checkReads(element, expected, sourceLocation: sourceLocation)
        #expect(ref[i]?.value.isIdentical(to: expected) == true, sourceLocation: sourceLocation)
      }
      #expect(ref[elements.count] == nil, sourceLocation: sourceLocation)
    case .string(let s):
      #expect(ref.stringValue.map { $0.utf8.elementsEqual(s.utf8) } == true, sourceLocation: sourceLocation)
      #expect(ref.isString(s), sourceLocation: sourceLocation)
    default:
      #expect(ref.stringValue == nil && ref.count == 0, sourceLocation: sourceLocation)
    }
  }

  @Test func mutatedTextsMatchTheValueParser() {
    var r = SeededRandom(seed: 0x14_0001)
    var corpus = JSONGen.seeds.map { Array($0.utf8) }
    corpus += [
      #"{"a":1,"b":2,"a":3}"#, #"{"a":{"b":1},"a":{"c":2},"b":[{"x":1,"x":2}]}"#, #"[{"k":1,"k":1,"k":1}]"#,
    ].map { Array($0.utf8) }
    for _ in 0..<200 { corpus.append(JSONGen.value(&r, depth: 4).compactBytes()) }
    let alphabet = Array("{}[]\",:\\/ -+.0123456789eEtruefalsnk\n\t".utf8) + [0, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
    for _ in 0..<10_000 {
      let bytes = JSONGen.mutated(r.pick(corpus), corpus: corpus, alphabet: alphabet, &r)
      Self.check(bytes)
    }
  }

  @Test func generatedValuesMatch() {
    var r = SeededRandom(seed: 0x14_0002)
    for _ in 0..<2_000 {
      let value = JSONGen.value(&r, depth: 5)
      Self.check(value.canonicalBytes())
      #expect(JSONTape(value, numbers: .preserving).root.value.isIdentical(to: value))
      #expect(JSONTape(value, numbers: .javaScript).root.value.isIdentical(to: value.javaScriptNumbers()))
    }
  }

  /// A node's kind is read from its byte as the enum directly (see `JSONTape.Node.kind`): the enum's raw values
  /// must be its cases' indices.
  @Test func nodeKindsReadBackFromTheirByte() {
    for raw in UInt8(0)...8 {
      let kind = JSONTape.Kind(rawValue: raw)
      #expect(kind != nil)
      if let kind { #expect(JSONTape.Node(kind).kind == kind) }
    }
    #expect(JSONTape.Kind(rawValue: 9) == nil)
  }

  @Test func randomBytesMatch() {
    var r = SeededRandom(seed: 0x14_0003)
    for _ in 0..<3_000 { Self.check(r.bytes(r.below(48))) }
  }

  /// Every path of a table finds what a chain of reads finds, on values with repeated keys too.
  @Test func pathTablesFindWhatReadsFind() throws {
    var r = SeededRandom(seed: 0x14_0004)
    for round in 0..<1_000 {
      var text = JSONGen.value(&r, depth: 4).compactBytes()
      if round % 3 == 0, text.first == UInt8(ascii: "{"), text.count > 2 {
        // Repeat the first member at the end (a repeated key whose last value wins).
        let member = try JSONValue.parse(text).objectValue?.first
        if let member {
          let extra = Array(
            "\(JSONValue.string(member.key).compactString()):\(JSONGen.value(&r, depth: 2).compactString())".utf8)
          text.insert(contentsOf: [UInt8(ascii: ",")] + extra, at: text.count - 1)
        }
      }
      let root = try Self.parseTape(text, .javaScript).root
      var paths: [[String]] = []
      func collect(_ ref: JSONRef, _ path: [String]) {
        paths.append(path)
        for member in ref.members { collect(member.value, path + [member.key]) }
        for (i, element) in ref.elements.enumerated() { collect(element, path + [String(i)]) }
      }
      collect(root, [])
      for _ in 0..<5 { paths.append((paths.randomElement(using: &r) ?? []) + [r.pick(JSONGen.keyPool)]) }
      paths.append(["0"])
      let table = JSONPathTable(paths)
      let found = table.resolve(from: root)
      for path in paths {
        var expected: JSONRef? = root
        for component in path {
          expected = expected?.isArray == true ? Int(component).flatMap { expected?[$0] } : expected?[component]
        }
        let got = found[table.index(of: path)!]
        #expect(
          got?.value.compactString() == expected?.value.compactString(),
          "path \(path) in \(String(decoding: text, as: UTF8.self))")
      }
    }
  }
}
