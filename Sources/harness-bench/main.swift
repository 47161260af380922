import Foundation
import JSON
import TikTokAds

// Release-mode benchmark of the built-in transformer: `harness-bench processor FILE [--iterations N]`.
// Prints one JSON line per iteration and a summary: events/s for read+parse+transform+write of a processor request
// body, and per-phase times. The baseline (CPython json.loads + json.dumps of the same file) is measured by
// Benchmarks/transformer/run.sh in the same run; see BENCHMARKS.md.

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU time (user + system) of this process so far, in seconds: steadier than wall time on a shared machine.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakRSSKiB() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
  }
  return -1
}

let args = CommandLine.arguments
guard args.count >= 3, ["processor", "router", "mock", "parse"].contains(args[1]) else {
  FileHandle.standardError.write(Data("usage: harness-bench processor|router|mock|parse FILE [--iterations N]\n".utf8))
  exit(2)
}
if args[1] == "mock" {
  benchmarkMockHandling(bodyPath: args[2])
  exit(0)
}
if args[1] == "parse" {
  benchmarkParsing(path: args[2])
  exit(0)
}
let mode = args[1]
let path = args[2]
var iterations = 5
if let i = args.firstIndex(of: "--iterations"), i + 1 < args.count { iterations = Int(args[i + 1]) ?? 5 }
// --workers 1: one thread, phases timed separately. --workers N > 1: the bytes pipeline the CLI uses
// (processorResponseBytes: top-level elements parsed, transformed and written on all cores).
var workers = 1
if let i = args.firstIndex(of: "--workers"), i + 1 < args.count { workers = Int(args[i + 1]) ?? 1 }

let transformer = TikTokAdsTransformer()
var rates: [Double] = []
var cpuRates: [Double] = []
for iteration in 1...iterations {
  let c0 = cpuSeconds()
  let t0 = now()
  guard let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("\(path): cannot be read\n".utf8))
    exit(2)
  }
  let t1 = now()
  if mode == "processor" && workers > 1 {
    let out: [UInt8]
    do {
      out = try data.withUnsafeBytes { try transformer.processorResponseBytes(request: $0, workers: workers) }
    } catch {
      FileHandle.standardError.write(Data("\(path):\(error)\n".utf8))
      exit(2)
    }
    let t2 = now()
    let cpu = cpuSeconds() - c0
    let events = data.withUnsafeBytes { JSONValue.topLevelArrayElementRanges($0)?.count ?? 0 }
    rates.append(Double(events) / (t2 - t0))
    cpuRates.append(Double(events) / cpu)
    print(
      "{\"iteration\":\(iteration),\"events\":\(events),\"workers\":\(workers),\"read_s\":\(t1 - t0),"
        + "\"pipeline_s\":\(t2 - t1),\"output_bytes\":\(out.count),\"events_per_s\":\(Int(Double(events) / (t2 - t0))),"
        + "\"events_per_cpu_s\":\(Int(Double(events) / cpu))}")
    continue
  }
  let request: JSONValue
  do {
    request = try data.withUnsafeBytes { try JSONValue.parse($0) }
  } catch {
    FileHandle.standardError.write(Data("\(path):\(error)\n".utf8))
    exit(2)
  }
  let t2 = now()
  let response: JSONValue
  let events: Int
  do {
    if mode == "router" {
      response = try transformer.routerResponse(for: request)
      events = request["input"]?.arrayValue?.count ?? 0
    } else {
      response = try transformer.processorResponse(for: request)
      events = request.arrayValue?.count ?? 0
    }
  } catch {
    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
    exit(2)
  }
  let t3 = now()
  let bytes = response.compactBytes()
  let t4 = now()
  let cpu = cpuSeconds() - c0
  let total = t4 - t0
  rates.append(Double(events) / total)
  cpuRates.append(Double(events) / cpu)
  print(
    "{\"iteration\":\(iteration),\"events\":\(events),\"read_s\":\(t1 - t0),\"parse_s\":\(t2 - t1),"
      + "\"transform_s\":\(t3 - t2),\"write_s\":\(t4 - t3),\"output_bytes\":\(bytes.count),"
      + "\"events_per_s\":\(Int(Double(events) / total)),\"events_per_cpu_s\":\(Int(Double(events) / cpu))}")
}
rates.sort()
cpuRates.sort()
print(
  "{\"summary\":\"swift\",\"workers\":\(workers),\"median_events_per_s\":\(Int(rates[rates.count / 2])),"
    + "\"median_events_per_cpu_s\":\(Int(cpuRates[cpuRates.count / 2])),\"peak_rss_kib\":\(peakRSSKiB())}")
