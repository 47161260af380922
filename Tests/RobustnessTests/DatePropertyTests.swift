import JSON
import TestSupport
import Testing
import TikTokAds

/// The same instant written in any of the grammars captured events carry (ISO 8601 with `Z`, an offset or
/// milliseconds; RFC 2822 with `GMT` or a numeric offset, with or without the weekday) gives the same Events 2.0
/// `event_time`: JavaScript's `Date.parse` reads each of them as that instant, and `event_time` is its whole seconds.
///
/// Hostile dates (fields out of any range, such as year 99999999999999999) are checked through the CLI, where a
/// crash cannot take the test process down: `CLITests/HostileDateTests`.
@Suite struct DatePropertyTests {
  static func eventTime(_ timestamp: String) throws -> JSONValue? {
    let item: JSONValue = [
      "message": ["type": "track", "event": "Search", "messageId": "m", "timestamp": .string(timestamp)],
      "destination": ["Config": ["accessToken": "t", "pixelCode": "P", "version": "v2"]],
      "metadata": ["jobId": 1],
    ]
    let response = try TikTokAdsTransformer().processorResponse(for: [item])
    return response[0]?["output"]?["body"]?["JSON"]?["data"]?[0]?["event_time"]
  }

  @Test func everyGrammarOfOneInstantGivesTheSameEventTime() throws {
    var r = SeededRandom(seed: 0x1212_2822)
    for _ in 0..<300 {
      // 1970 ... 2100, whole seconds, a zone between -12:00 and +14:00 in quarter hours.
      let seconds = r.below(4_102_444_800)
      let offset = (r.below(105) - 48) * 15
      let forms = DateGrammars.forms(seconds: seconds, milliseconds: r.below(1000), offsetMinutes: offset)
      for form in forms {
        #expect(try Self.eventTime(form) == .int(Int64(seconds)), "\(form) (expected \(seconds))")
      }
    }
  }

  @Test func theGrammarsAreWrittenAsJavaScriptWritesThem() {
    // Date.prototype.toUTCString and toISOString of 1715249551000 (2024-05-09T10:12:31Z, a Thursday).
    let forms = DateGrammars.forms(seconds: 1_715_249_551, milliseconds: 7, offsetMinutes: 120)
    #expect(forms[0] == "2024-05-09T10:12:31Z" && forms[1] == "2024-05-09T10:12:31.007Z")
    #expect(forms[2] == "2024-05-09T12:12:31+02:00")
    #expect(forms[4] == "Thu, 09 May 2024 10:12:31 GMT" && forms[6] == "Thu, 09 May 2024 12:12:31 +0200")
    #expect(DateGrammars.civil(0).weekday == 4 && DateGrammars.civil(-1).year == 1969)
  }
}
