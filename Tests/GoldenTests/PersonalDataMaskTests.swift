import Golden
import JSON
import Testing

/// `compare`'s mask: values of the capture and personal-data shapes hidden, the mapping's constants and hashes kept.
@Suite struct PersonalDataMaskTests {
  static let item: JSONValue = [
    "message": [
      "type": "track", "event": "Search", "messageId": "m1",
      "context": ["traits": ["name": "Jane Roe", "email": "jane.roe@example.com", "mobile": 4_155_550_123]],
      "properties": ["note": "ring the bell twice"],
    ],
    "destination": ["Config": ["accessToken": "tok-abcdef", "pixelCode": "PIX1"]],
  ]

  @Test func valuesOfTheCaptureAndShapesAreMaskedConstantsAndHashesAreNot() throws {
    let mask = PersonalDataMask(capture: [Self.item])
    let value: JSONValue = [
      "name": "Jane Roe", "email": "jane.roe@example.com", "phone": .int(4_155_550_123), "other": "x@y.io",
      "ip": "198.51.100.7", "note": "ring the bell twice", "event": "Search", "partner_name": "RudderStack",
      "hashed": "a3f5c0e1d6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3",
    ]
    let masked = mask.mask(value)
    #expect(masked["name"] == "<personal data: 8 characters>")
    #expect(masked["email"] == "<email address: 20 characters>")
    #expect(masked["phone"]?.stringValue?.hasSuffix(": 10 digits>") == true)
    #expect(masked["other"] == "<email address: 6 characters>")
    #expect(masked["ip"] == "<IP address: 12 characters>")
    #expect(masked["note"]?.stringValue?.hasPrefix("<") == true)
    #expect(masked["event"] == "Search" && masked["partner_name"] == "RudderStack")
    #expect(masked["hashed"] == value["hashed"])
  }

  @Test func messagesLoseTheWordsThatHoldPersonalData() {
    let mask = PersonalDataMask(capture: [Self.item])
    #expect(mask.maskWords("no user for jane.roe@example.com here") == "no user for <email address> here")
    #expect(mask.maskWords("token tok-abcdef refused") == "token <access token> refused")
    #expect(mask.maskWords("unknown recipient Jane Roe").hasPrefix("<withheld"))
    #expect(mask.maskWords("Event name (Search) is not valid") == "Event name (Search) is not valid")
  }
}
