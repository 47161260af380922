import JSON

/// Simpler stand-ins for a JSON number: `0`, `1`, the integer part, one digit fewer, the magnitude.
enum NumberReduction {
  /// The candidates for `value`, simplest first, each strictly simpler than `value`: shorter as compact JSON, or
  /// as short and nearer to zero. Trying them repeatedly therefore always ends.
  static func simpler(than value: JSONValue) -> [JSONValue] {
    let text = value.compactString()
    var texts = ["0", "1"]
    let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
    if text.hasPrefix("-") { texts.append(unsigned) }
    let integerPart = String(text.prefix { $0 != "." && $0 != "e" && $0 != "E" })
    if integerPart != text { texts.append(integerPart) }
    if !text.contains(where: { $0 == "e" || $0 == "E" }), text.count > 1 {
      var shorter = String(text.dropLast())
      if shorter.hasSuffix(".") { shorter.removeLast() }
      texts.append(shorter)
    }
    let rank = Self.rank(value)
    var out: [JSONValue] = []
    for candidateText in texts {
      guard let candidate = try? JSONValue.parse(candidateText), candidate.isNumber,
        Self.isSimpler(Self.rank(candidate), than: rank),
        !out.contains(where: { $0.isIdentical(to: candidate) })
      else { continue }
      out.append(candidate)
    }
    return out
  }

  private static func rank(_ value: JSONValue) -> (length: Int, magnitude: Double) {
    (value.compactString().utf8.count, abs(value.doubleValue ?? .infinity))
  }

  private static func isSimpler(_ a: (length: Int, magnitude: Double), than b: (length: Int, magnitude: Double)) -> Bool
  {
    a.length < b.length || (a.length == b.length && a.magnitude < b.magnitude)
  }
}
