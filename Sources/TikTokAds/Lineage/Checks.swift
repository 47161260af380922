/// The checks that can turn an event into an error item: spec §3's rules 1–8, and the places where upstream's
/// JavaScript throws (Q19, Q21, R4, R5, R8, R13, R14). Each is a coverage row and what `explain` names.
enum Check {
  // The request pipeline (upstream-divergences §A).
  static let nullItem = "request item is null (throws)"
  static let nullDestination = "R4/R13: destination is null or absent (throws reading Config)"
  // §3, in upstream's order.
  static let configUnreadable = "destination.Config is null or absent (throws reading accessToken)"
  static let accessToken = "§3 rule 1: accessToken is missing or empty"
  static let pixelCode = "§3 rule 2: pixelCode is missing or empty"
  static let typeMissing = "§3 rule 3: type is missing or empty"
  static let typeNotString = "R8: type is not a string (throws)"
  static let typeNotTrack = "§3 rule 4: type is not track"
  static let eventNotString = "§3 rule 5: event is missing, empty or not a string"
  static let eventBlank = "§3 rule 6: event name is blank"
  static let nullRow = "R5: an eventsToStandard row is null (throws)"
  static let fromNotString = "R5: an eventsToStandard from is not a string (throws)"
  static let inheritedFrom = "R1: an eventsToStandard from names an Object member (throws)"
  static let eventUnmapped = "§3 rule 7: event name is not mapped and custom events are off"
  static let timestampMissing = "§3 rule 8: no parseable timestamp"
  // Where the mapping code throws.
  static let nullContentsItem = "a contents item is null (throws)"
  static let nullProduct = "a products item is null (throws)"
  static let notTrimmable = "Q21: a user field to hash is not a string (throws calling trim)"
  static let loneSurrogate = "Q19: a user field to hash holds a lone surrogate (URI malformed)"
  static let nullHashElement = "an array element to hash is null (throws calling toString)"
  static let osNameNotString = "R8: context.os.name is not a string (throws)"
  // The router.
  static let noFirstRequest = "router: an event with no request (throws reading body)"
  static let noBodyJSON = "router: a pre-transformed message without body.JSON (throws)"
  static let dataNotIterable = "R14: a pre-transformed v2 body whose data is not iterable (group fails)"

  /// Every check, with whether it is version-specific (`nil`: the same row for both versions).
  static let all: [(name: String, versions: [Bool?])] = [
    (nullItem, [nil]), (nullDestination, [nil]), (configUnreadable, [nil]), (accessToken, [false, true]),
    (pixelCode, [false, true]), (typeMissing, [false, true]), (typeNotString, [false, true]),
    (typeNotTrack, [false, true]), (eventNotString, [false, true]), (eventBlank, [true]), (nullRow, [false, true]),
    (fromNotString, [false, true]), (inheritedFrom, [false, true]), (eventUnmapped, [false, true]),
    (timestampMissing, [true]), (nullContentsItem, [false, true]), (nullProduct, [false, true]),
    (notTrimmable, [false]), (loneSurrogate, [false]), (nullHashElement, [true]), (osNameNotString, [true]),
    (noFirstRequest, [false]), (noBodyJSON, [nil]), (dataNotIterable, [true]),
  ]
}

extension Optional where Wrapped == TransformTrace {
  /// Records that `check` failed at `pointer` (and its coverage row), and returns `error` to throw.
  func failing(_ error: TransformError, _ check: String, at pointer: [String], isV2: Bool?) -> TransformError {
    if let trace = self {
      trace.fail(check, at: pointer)
      trace.hit(.check(isV2, check))
      if case .runtime = error {
        trace.eventRule(.q21)
        trace.eventRule(.r11)
      }
      if check == Check.loneSurrogate { trace.eventRule(.q19) }
    }
    return error
  }
}
