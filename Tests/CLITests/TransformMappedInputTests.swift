import Foundation
import JSON
import TestSupport
import Testing

/// `transform` maps a request file of 1 MiB or more instead of reading it (``Golden/MappedFile``): the same answers
/// as the read path, and a clear error, not a crash, when the file shrinks under it.
@Suite("transform: mapped request files")
struct TransformMappedInputTests {
  /// A processor request body of `count` distinct Events 2.0 and 1.0 events, about 700 bytes each.
  static func request(events count: Int) -> String {
    let events = (0..<count).map { i in
      let version = i % 3 == 0 ? "\"eventsToStandard\":[],\"version\":\"v1\"" : "\"version\":\"v2\""
      return """
        {"message":{"type":"track","event":"Add To Cart \(i % 7)","messageId":"m-\(i)","anonymousId":"a-\(i)",\
        "timestamp":"2024-0\(1 + i % 9)-1\(i % 10)T10:\(10 + i % 50):00.\(100 + i % 900)Z",\
        "context":{"ip":"10.0.\(i % 256).1","userAgent":"Mozilla/5.0 (\(i))","traits":{"email":"u\(i)@example.com",\
        "phone":"+1555000\(1000 + i % 9000)"},"page":{"url":"https://shop.example/p/\(i)"}},\
        "properties":{"value":\(i % 97).5,"currency":"USD","contents":[{"content_id":"sku-\(i)","price":\(i % 50),\
        "quantity":\(1 + i % 4)}],"note":"caf\\u00e9 \\ud83d\\ude00 \(i)"}},\
        "destination":{"Config":{"accessToken":"token-\(i % 5)","pixelCode":"PIXEL\(i % 3)",\
        "hashUserProperties":\(i % 2 == 0),\(version),"sendCustomEvents":true}},\
        "metadata":{"jobId":\(i + 1),"messageId":"m-\(i)"}}
        """
    }
    return "[" + events.joined(separator: ",\n") + "]\n"
  }

  @Test("a request file over 1 MiB gets the same bytes as the same request on standard input")
  func mappedEqualsRead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let text = Self.request(events: 2_500)
    #expect(text.utf8.count > 1 << 20)
    let file = try dir.write("large.json", text)
    let mapped = try Harness.run(["transform", file.path])
    let read = try Harness.run(["transform", "-"], stdin: text)
    #expect(mapped.status == 0, "\(mapped.stderr)")
    #expect(read.status == 0, "\(read.stderr)")
    #expect(mapped.stdout == read.stdout)
    #expect(try JSONValue.parse(mapped.stdout).arrayValue?.count == 2_500)
  }

  @Test("just under and just over 1 MiB: both answer, the same as standard input")
  func bothSidesOfTheThreshold() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let body = Self.request(events: 1_000)
    for size in [(1 << 20) - 1, 1 << 20] {
      // Padding after the array is white space, so both files hold the same request.
      let text = body + String(repeating: " ", count: size - body.utf8.count)
      let file = try dir.write("edge.json", text)
      #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int == size)
      let mapped = try Harness.run(["transform", file.path])
      let read = try Harness.run(["transform", "-"], stdin: text)
      #expect(mapped.status == 0, "\(size): \(mapped.stderr)")
      #expect(mapped.stdout == read.stdout, "\(size) bytes")
    }
  }

  @Test("a large malformed file or one of the wrong shape: exit 2, the same errors as when read")
  func largeBadInput() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let body = Self.request(events: 2_000)
    let broken = String(body.dropLast(2)) + ",}]"  // a trailing comma before the end
    let object = "{\"input\": " + body + "}"  // not an array: captured events without --config
    for (name, text) in [("broken.json", broken), ("object.json", object)] {
      let file = try dir.write(name, text)
      let mapped = try Harness.run(["transform", file.path])
      let read = try Harness.run(["transform", "-"], stdin: text)
      #expect(mapped.status == 2, "\(name): \(mapped.stderr)")
      #expect(mapped.stdout.isEmpty)
      #expect(mapped.stderr.contains(file.path), "\(name): \(mapped.stderr)")
      #expect(mapped.stderr.replacingOccurrences(of: file.path, with: "<stdin>") == read.stderr, "\(name)")
    }
  }

  @Test("a request file truncated while it is being read: exit 2, a message naming it, nothing written")
  func truncatedWhileMapped() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("shrinking.json", Self.request(events: 30_000))
    let out = dir.url.appendingPathComponent("out")
    let err = dir.url.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = Paths.harnessBinary
    process.arguments = ["transform", file.path]
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    // Truncate once the file shows in the process's mappings (it is being read then).
    let deadline = Date().addingTimeInterval(30)
    var sawMapping = false
    while process.isRunning && Date() < deadline {
      let maps = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/maps", encoding: .utf8)) ?? ""
      if maps.contains(file.path) {
        sawMapping = truncate(file.path, 0) == 0
        break
      }
      usleep(200)
    }
    process.waitUntilExit()
    let stderr = try String(contentsOf: err, encoding: .utf8)
    try #require(sawMapping, "the process ended before its mapping was seen; stderr: \(stderr)")
    #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus)")
    #expect(process.terminationStatus == 2, "stderr: \(stderr)")
    #expect(stderr.contains("\(file.path) shrank while it was being read"), "stderr: \(stderr)")
    #expect(try Data(contentsOf: out).isEmpty)
  }
}
