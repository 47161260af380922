import JSON
import Testing

/// The one escaper (`JSONEscape`, behind `ByteBuffer.appendString` and both writers), at every length and with a
/// special byte at every position: the word-at-a-time scan, the 1-7 byte tail and the byte-by-byte path all agree.
@Suite struct EscapeTests {
  static let specials: [[UInt8]] = [
    [0x22], [0x5C], [0x00], [0x08], [0x0C], [0x0A], [0x0D], [0x09], [0x1F], [0x7F], Array("é".utf8),
    Array("€".utf8), Array("😀".utf8), [0xF4, 0x8F, 0xA0, 0x80],
  ]

  static func escaped(_ bytes: [UInt8], loneSurrogates: Bool = false) -> [UInt8]? {
    var buffer = ByteBuffer(capacity: 16)
    let ok = bytes.withUnsafeBufferPointer { buffer.appendString($0, loneSurrogates: loneSurrogates) }
    return ok ? buffer.array : nil
  }

  @Test func everyLengthAndPositionRoundTrips() throws {
    for length in 0...20 {
      let plain = Array(repeating: UInt8(ascii: "a"), count: length)
      #expect(Self.escaped(plain) == [0x22] + plain + [0x22])
      for position in 0...length {
        for special in Self.specials {
          var bytes = plain
          bytes.insert(contentsOf: special, at: position)
          let text = try #require(Self.escaped(bytes), "\(bytes)")
          let value = try JSONValue.parse(text)
          #expect(
            value.stringValue.map { Array($0.utf8) } == bytes, "\(bytes) -> \(String(decoding: text, as: UTF8.self))")
        }
      }
    }
  }

  /// Swift strings (small ones, held inline, and native ones) give exactly what their UTF-8 bytes give, with and
  /// without stand-ins for lone surrogates.
  @Test func stringsAsTheirBytes() throws {
    for length in 0...20 {
      for position in 0...length {
        for special in Self.specials + [[0x20], [0x7E]] {
          var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
          bytes.insert(contentsOf: special, at: position)
          let string = String(decoding: bytes, as: UTF8.self)
          for loneSurrogates in [false, true] {
            var buffer = ByteBuffer(capacity: 8)
            buffer.appendString(string, loneSurrogates: loneSurrogates)
            #expect(buffer.array == Self.escaped(bytes, loneSurrogates: loneSurrogates), "\(bytes)")
          }
        }
      }
    }
  }

  @Test func shortFormsAndLowercaseHex() {
    let text = Self.escaped([0x22, 0x5C, 0x08, 0x0C, 0x0A, 0x0D, 0x09, 0x01, 0x1F, 0x2F]).map {
      String(decoding: $0, as: UTF8.self)
    }
    #expect(text == #""\"\\\b\f\n\r\t\u0001\u001f/""#)
  }

  @Test func invalidUTF8AnywhereIsRefusedAndAppendsNothing() {
    for length in 0...20 {
      for position in 0...length {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xE6, 0x9C, 0x2A], [0xF4, 0x90, 0x80, 0x80]] {
          var bytes = Array(repeating: UInt8(ascii: "b"), count: length)
          bytes.insert(contentsOf: bad, at: position)
          var buffer = ByteBuffer(capacity: 16)
          buffer.append(UInt8(ascii: "x"))
          let ok = bytes.withUnsafeBufferPointer { buffer.appendString($0) }
          #expect(!ok, "\(bytes)")
          #expect(buffer.array == [UInt8(ascii: "x")], "\(bytes)")
        }
      }
    }
  }

  @Test func loneSurrogateStandInsOnlyWhenAsked() {
    let standIn: [UInt8] = [0xF4, 0x8F, 0xA0, 0x80]  // U+10F800, the stand-in for \ud800
    #expect(Self.escaped(standIn, loneSurrogates: true) == Array(#""\ud800""#.utf8))
    #expect(Self.escaped(standIn, loneSurrogates: false) == [0x22] + standIn + [0x22])
  }
}
