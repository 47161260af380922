import Foundation
import HTTP
import JSON
import MockTikTok

/// `harness-bench mock BODY_FILE`: the mock's request handling without sockets, one thread: nanoseconds per
/// request for the one-pass contract check, for the whole handler (`MockTikTokServer.handle`: check, fault rules,
/// envelope, journal line kept in memory, no file), and, as the baseline in the same run, for `JSONValue.parse` of
/// the same body. Diagnostic figures for work on the hot path; the load benchmark is Benchmarks/mock-server/run.sh.
func benchmarkMockHandling(bodyPath: String) {
  guard let data = FileManager.default.contents(atPath: bodyPath) else {
    FileHandle.standardError.write(Data("\(bodyPath): cannot be read\n".utf8))
    exit(2)
  }
  let body = [UInt8](data)
  let path = "/open_api/v1.3/event/track/"
  guard let endpoint = TikTokEndpoint(path: path) else { exit(2) }
  let validator = ContractValidator()
  guard validator.acceptQuickly(body, endpoint: endpoint.kind) != nil else {
    FileHandle.standardError.write(Data("\(bodyPath): not a valid event/track body for the one-pass check\n".utf8))
    exit(2)
  }
  let mock: MockTikTokServer
  do {
    mock = try MockTikTokServer(configuration: MockTikTokConfiguration())
  } catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
  }
  let request = HTTPRequest(
    method: "POST", target: path,
    headers: [
      "Host": "127.0.0.1:8090", "Content-Type": "application/json", "Access-Token": String(repeating: "a", count: 40),
    ],
    body: body)
  let n = 200_000
  func nanosPerCall(_ work: () -> Void) -> Double {
    for _ in 0..<n / 10 { work() }  // warm-up
    let c0 = cpuSeconds()
    for _ in 0..<n { work() }
    return (cpuSeconds() - c0) / Double(n) * 1e9
  }
  let parse = nanosPerCall { _ = try? JSONValue.parse(body) }
  let quick = nanosPerCall { _ = validator.acceptQuickly(body, endpoint: endpoint.kind) }
  let handle = nanosPerCall { _ = mock.handle(request) }
  print(
    "{\"body_bytes\":\(body.count),\"baseline_parse_ns\":\(Int(parse)),\"quick_check_ns\":\(Int(quick)),"
      + "\"quick_check_vs_parse\":\(String(format: "%.2f", parse / quick)),\"handle_ns\":\(Int(handle))}")
}
