import JSON

/// JUnit XML for CI: one `<testcase>` per case (stable names), differences in the `<failure>` message and text.
public enum JUnitReport {
  /// The XML document.
  public static func render(_ results: [CaseResult], summary: RunSummary, suiteName: String = "tiktok-harness replay")
    -> String
  {
    let failures = results.filter { if case .failed = $0.outcome { return true } else { return false } }.count
    let errors = results.filter {
      switch $0.outcome {
      case .malformed, .error: return true
      default: return false
      }
    }.count
    let skipped = results.filter { if case .skipped = $0.outcome { return true } else { return false } }.count
    let time = results.reduce(0) { $0 + $1.seconds }
    let head =
      "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(time))\""
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"\(escape(suiteName))\" \(head)>\n"
    xml += "  <testsuite name=\"\(escape(suiteName))\" \(head)>\n"
    for r in results {
      let suite = r.name.split(separator: "/").dropLast().joined(separator: ".")
      let classname = suite.isEmpty ? "golden" : "golden.\(suite)"
      xml +=
        "    <testcase classname=\"\(escape(classname))\" name=\"\(escape(r.name))\" file=\"\(escape(r.location))\" time=\"\(seconds(r.seconds))\""
      switch r.outcome {
      case .passed:
        xml += "/>\n"
        continue
      case .failed(let mismatches), .updated(let mismatches):
        let lines = mismatches.map { $0.summary(limit: 200) }
        let message =
          "\(mismatches.count) difference\(mismatches.count == 1 ? "" : "s"): "
          + lines.prefix(20).joined(separator: "\n")
        let tag = r.status == "failed" ? "failure" : "system-out"
        if tag == "failure" {
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
      xml += "    </testcase>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }

  private static func seconds(_ s: Double) -> String {
    let micros = Int((s * 1e6).rounded())
    let frac = String(micros % 1_000_000)
    return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
  }

  /// Escapes text for XML 1.0 attributes and content; characters XML cannot hold become U+FFFD.
  static func escape(_ text: String) -> String {
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
