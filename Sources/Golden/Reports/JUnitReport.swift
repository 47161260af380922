import JSON

/// JUnit XML for CI: one `<testcase>` per case (stable names), differences in the `<failure>` message and text.
public enum JUnitReport {
  /// The XML document.
  public static func render(_ results: [CaseResult], summary: RunSummary, suiteName: String = defaultSuiteName)
    -> String
  {
    var counts = Counts()
    var body = ""
    for r in results {
      counts.add(r)
      body += testcase(r)
    }
    return head(suiteName: suiteName, counts: counts) + body + tail
  }

  /// The suite name replay writes.
  public static let defaultSuiteName = "tiktok-harness replay"

  /// The counts in the `<testsuites>` and `<testsuite>` attributes.
  public struct Counts: Sendable, Equatable {
    public var tests = 0
    public var failures = 0
    public var errors = 0
    public var skipped = 0
    public var seconds = 0.0

    public init() {}

    /// Counts one result.
    public mutating func add(_ r: CaseResult) {
      tests += 1
      seconds += r.seconds
      switch r.outcome {
      case .failed: failures += 1
      case .malformed, .error: errors += 1
      case .skipped: skipped += 1
      case .passed, .updated: break
      }
    }
  }

  /// The XML declaration, `<testsuites …>` and `<testsuite …>` opening tags.
  public static func head(suiteName: String, counts: Counts) -> String {
    let attributes =
      "tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(seconds(counts.seconds))\""
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"\(escape(suiteName))\" \(attributes)>\n"
    xml += "  <testsuite name=\"\(escape(suiteName))\" \(attributes)>\n"
    return xml
  }

  /// The closing tags.
  public static let tail = "  </testsuite>\n</testsuites>\n"

  /// The JUnit class name of a case: `golden.` followed by its suite (the name's folders, joined with `.`).
  public static func className(_ name: String) -> String {
    let suite = name.split(separator: "/").dropLast().joined(separator: ".")
    return suite.isEmpty ? "golden" : "golden.\(suite)"
  }

  /// One `<testcase>` element, indented for the document, ending with a newline.
  public static func testcase(_ r: CaseResult) -> String {
    var xml =
      "    <testcase classname=\"\(escape(className(r.name)))\" name=\"\(escape(r.name))\" file=\"\(escape(r.location))\" time=\"\(seconds(r.seconds))\""
    switch r.outcome {
    case .passed:
      return xml + "/>\n"
    case .failed(let mismatches), .updated(let mismatches):
      let lines = mismatches.map { $0.summary(limit: 200) }
      let message =
        "\(mismatches.count) difference\(mismatches.count == 1 ? "" : "s"): "
        + lines.prefix(20).joined(separator: "\n")
      if r.status == "failed" {
        xml +=
          ">\n      <failure type=\"regression\" message=\"\(escape(message))\">\(escape(lines.joined(separator: "\n")))</failure>\n"
      } else {
        xml += ">\n      <system-out>\(escape("updated: " + lines.joined(separator: "\n")))</system-out>\n"
      }
    case .malformed(let message):
      xml += ">\n      <error type=\"malformed\" message=\"\(escape(message))\"/>\n"
    case .error(let message):
      xml += ">\n      <error type=\"transformer\" message=\"\(escape(message))\"/>\n"
    case .skipped(let message):
      xml += ">\n      <skipped message=\"\(escape(message))\"/>\n"
    }
    return xml + "    </testcase>\n"
  }

  /// Seconds with six decimals, as JUnit readers expect.
  public static func seconds(_ s: Double) -> String {
    let micros = Int((s * 1e6).rounded())
    let frac = String(micros % 1_000_000)
    return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
  }

  /// Escapes text for XML 1.0 attributes and content; characters XML cannot hold become U+FFFD.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n": out += "&#10;"
      case "\t": out += "&#9;"
      case "\r": out += "&#13;"
      default:
        let v = scalar.value
        if v < 0x20 || (v >= 0xFFFE && v <= 0xFFFF) {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
