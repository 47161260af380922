import JSON
import Testing

@testable import Replay

/// The mapping of a shared processor request's answer back to each case: exact, or refused.
@Suite struct ProcessorBatchingTests {
  static func item(_ metadata: JSONValue) -> JSONValue { ["message": [:], "metadata": metadata] }
  static func answer(_ metadata: JSONValue, _ n: Int = 0) -> JSONValue {
    ["output": .int(Int64(n)), "metadata": metadata]
  }

  @Test func itemKeysRefuseWhatCannotBeReidentified() {
    #expect(ProcessorBatching.itemKeys(.array([Self.item(["jobId": 1])])) != nil)
    #expect(ProcessorBatching.itemKeys(.array([])) == nil, "no item")
    #expect(ProcessorBatching.itemKeys(.array([["message": [:]]])) == nil, "no metadata")
    #expect(ProcessorBatching.itemKeys(.array([Self.item("job-1")])) == nil, "metadata not an object")
    #expect(ProcessorBatching.itemKeys(.object([:])) == nil, "not an array")
    // The same metadata twice, also as JavaScript would read it (1 and 1.0, members in another order).
    #expect(ProcessorBatching.itemKeys(.array([Self.item(["jobId": 1]), Self.item(["jobId": 1.0])])) == nil)
    #expect(
      ProcessorBatching.itemKeys(.array([Self.item(["a": 1, "b": 2]), Self.item(["b": 2, "a": 1])])) == nil)
    var twice = JSONObject()
    twice.appendUnchecked("jobId", 1)
    twice.appendUnchecked("jobId", 2)
    #expect(ProcessorBatching.itemKeys(.array([Self.item(.object(twice))])) == nil, "a member name twice")
    // Both ways of looking for a repeated name: up to 32 members, and more.
    for count in [32, 33, 1000] {
      var large = JSONObject()
      for i in 0..<count { large.appendUnchecked("k\(i)", .int(Int64(i))) }
      #expect(ProcessorBatching.itemKeys(.array([Self.item(.object(large))])) != nil, "\(count) names")
      large.appendUnchecked("k0", 0)
      #expect(ProcessorBatching.itemKeys(.array([Self.item(.object(large))])) == nil, "\(count) names and k0 again")
      #expect(
        ProcessorBatching.itemKeys(.array([Self.item(["nested": .object(large)])])) == nil, "\(count): nested")
    }
  }

  @Test func planKeepsSharedMetadataApartAndCasesInOrder() {
    let units = ProcessorBatching.plan(keys: [["a"], ["a"], ["b"], nil, ["c", "d"], ["e"]], maxItems: 3)
    #expect(units == [[0, 2, 5], [1, 4], [3]])
    #expect(ProcessorBatching.plan(keys: [["a"], ["b"]], maxItems: 1) == [[0], [1]], "batching off")
    #expect(ProcessorBatching.plan(keys: [["a", "b", "c"], ["d"]], maxItems: 3) == [[0], [1]], "a full case alone")
  }

  @Test func splitMapsBackByMetadataOrderAndAnAnswerForEveryItem() {
    let m: [JSONValue] = [["jobId": 1], ["jobId": 2], ["jobId": 3]]
    let parts: [[JSONValue]] = [[m[0]], [m[1], m[2]]]
    // One answer each, and three for the second item: exact.
    let three: JSONValue = [
      Self.answer(m[0]), Self.answer(m[1], 1), Self.answer(m[1], 2), Self.answer(m[1], 3),
      Self.answer(m[2]),
    ]
    #expect(
      ProcessorBatching.split(three, metadata: parts)
        == [
          [Self.answer(m[0])], [Self.answer(m[1], 1), Self.answer(m[1], 2), Self.answer(m[1], 3), Self.answer(m[2])],
        ])
    // Refused: an item with no answer, answers out of order, an unknown or missing metadata, nothing at all.
    #expect(ProcessorBatching.split([Self.answer(m[0]), Self.answer(m[2])], metadata: parts) == nil)
    #expect(ProcessorBatching.split([Self.answer(m[0]), Self.answer(m[1])], metadata: parts) == nil)
    #expect(
      ProcessorBatching.split([Self.answer(m[1]), Self.answer(m[0]), Self.answer(m[2])], metadata: parts) == nil)
    #expect(
      ProcessorBatching.split(
        [Self.answer(m[0]), Self.answer(m[1]), Self.answer(m[2]), Self.answer(m[0])], metadata: parts)
        == nil)
    #expect(
      ProcessorBatching.split([Self.answer(m[0]), Self.answer(["jobId": 9]), Self.answer(m[2])], metadata: parts) == nil
    )
    #expect(ProcessorBatching.split([Self.answer(m[0]), ["output": 1], Self.answer(m[2])], metadata: parts) == nil)
    #expect(ProcessorBatching.split([], metadata: parts) == nil)
    #expect(ProcessorBatching.split(["output": []], metadata: parts) == nil)
  }
}
