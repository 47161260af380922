import JSON
import SHA256

/// The two SHA-256 paths of upstream (spec §5, Q18, Q19). They agree on ASCII and differ on everything else.
enum UpstreamHash {
  /// v1 user fields (crypto-js): SHA-256 of the UTF-8 bytes.
  /// - Throws: Q19: a lone UTF-16 surrogate fails with `URI malformed`, as crypto-js's UTF-8 encoder does.
  static func utf8(_ text: String) throws(TransformError) -> String {
    if let digest = asciiDigest(text) { return digest }
    for scalar in text.unicodeScalars where LoneSurrogate.unit(of: scalar) != nil {
      throw .runtime("URI malformed")  // Q19: crypto-js cannot encode a lone surrogate
    }
    return SHA256.hexDigest(text.utf8)
  }

  /// The digest of an ASCII text (where both paths agree), hashed from its contiguous bytes; `nil` for anything else.
  private static func asciiDigest(_ text: String) -> String? {
    var text = text
    return text.withUTF8 { bytes in bytes.contains { $0 >= 0x80 } ? nil : SHA256.hexDigest(bytes) }
  }

  /// `hashToSha256` (npm `sha256` 0.2.0, `'binary'` encoding): SHA-256 of the low byte of every UTF-16 code unit.
  /// Q18: characters above U+00FF lose their high byte; an emoji's surrogate halves are truncated separately.
  static func utf16LowBytes(_ text: String) -> String {
    if let digest = asciiDigest(text) { return digest }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      if let unit = LoneSurrogate.unit(of: scalar) {
        bytes.append(UInt8(truncatingIfNeeded: unit))  // Q19: v2 hashes a lone surrogate without error
        continue
      }
      let v = scalar.value
      if v <= 0xFFFF {
        bytes.append(UInt8(truncatingIfNeeded: v))
      } else {
        let offset = v - 0x1_0000
        bytes.append(UInt8(truncatingIfNeeded: 0xD800 + (offset >> 10)))
        bytes.append(UInt8(truncatingIfNeeded: 0xDC00 + (offset & 0x3FF)))
      }
    }
    return SHA256.hexDigest(bytes)
  }
}
