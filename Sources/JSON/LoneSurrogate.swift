/// How lone UTF-16 surrogates from JSON escapes are kept in Swift strings.
///
/// JSON allows an escaped surrogate without its partner (`"\ud800"`, `"\udc00x"`), but a Swift `String` cannot
/// hold one. The parser maps each lone surrogate code unit U+D800–U+DFFF to the scalar `U+10F800 + (unit − 0xD800)`,
/// the top 2,048 code points of supplementary private-use plane 16 (U+10F800–U+10FFFF), and both writers map those
/// scalars back to lowercase `\udXXX` escapes, so parse → write round-trips. Valid surrogate pairs decode to the
/// real scalar as usual.
///
/// Known ambiguities:
/// - A genuine U+10F800–U+10FFFF character in the input (raw UTF-8 or an escaped pair) is indistinguishable from a
///   mapped surrogate, so it is written back as a lone surrogate escape. These private-use code points do not
///   occur in real event data.
/// - A mapped high surrogate directly followed by a mapped low one (possible only when strings are joined in code,
///   or with the genuine characters above) is written as `\udXXX\udYYY`, which JSON reads as one valid pair.
public enum LoneSurrogate {
  /// The first scalar used for the mapping (it stands for U+D800).
  public static let firstScalar: UInt32 = 0x10F800

  /// The surrogate code unit (0xD800–0xDFFF) that `scalar` stands for, or `nil` for any other scalar.
  @inlinable
  public static func unit(of scalar: Unicode.Scalar) -> UInt16? {
    let v = scalar.value
    guard v >= firstScalar else { return nil }
    return UInt16(v - firstScalar + 0xD800)
  }

  /// The private-use scalar that stands for the lone surrogate `unit`.
  /// - Precondition: `unit` is in 0xD800–0xDFFF.
  @inlinable
  public static func scalar(for unit: UInt16) -> Unicode.Scalar {
    precondition((0xD800...0xDFFF).contains(unit), "not a surrogate code unit")
    // 0x10F800...0x10FFFF are valid scalars, so the initializer cannot fail.
    return Unicode.Scalar(UInt32(unit) - 0xD800 + firstScalar) ?? "\u{FFFD}"
  }
}
