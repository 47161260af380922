import Foundation
import JSON
import TestSupport
import Testing

@testable import TikTokAds

/// `explain`'s lineage comes from the transformer's own run: the traced response is the response, and every output
/// field has a source the run recorded.
@Suite("Field lineage")
struct LineageTests {
  static func allCases() throws -> [DifferentialConformanceTests.Case] {
    try DifferentialConformanceTests.cases("processor.json") + DifferentialConformanceTests.cases("router.json")
  }

  static func traced(_ c: DifferentialConformanceTests.Case) throws -> TracedResponse {
    var options = TikTokAdsTransformer.Options()
    if let n = c.maxBatchSizeV2 { options.maxBatchSizeV2 = n }
    let t = TikTokAdsTransformer(options: options)
    return c.isRouter ? try t.tracedRouterResponse(for: c.input) : try t.tracedProcessorResponse(for: c.input)
  }

  @Test(
    "tracing changes nothing: the traced response equals the response, on all 2,200 differential cases",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func tracedResponseIsTheResponse() throws {
    var differing: [String] = []
    for c in try Self.allCases() {
      let traced = try Self.traced(c)
      if !traced.body.isIdentical(to: try DifferentialConformanceTests.run(c)) { differing.append(c.name) }
    }
    #expect(differing.isEmpty, "\(differing.prefix(5))")
  }

  @Test(
    "every output field of every differential case has a recorded source; every error item names its check",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func everyFieldHasASource() throws {
    var unknown: [String] = []
    var unnamedChecks: [String] = []
    var fields = 0
    for c in try Self.allCases() {
      for e in Explanation.of(try Self.traced(c), request: c.input) {
        fields += e.fields.count
        for f in e.fields where f.source == "unknown" { unknown.append("\(c.name) \(f.pointer)") }
        if let failure = e.failure, failure.check.hasPrefix("(") && !c.isRouter {
          unnamedChecks.append("\(c.name) item \(e.item): \(failure.message)")
        }
      }
    }
    #expect(fields > 50_000)
    #expect(unknown.isEmpty, "\(unknown.count) fields without a source, e.g. \(unknown.prefix(8))")
    #expect(unnamedChecks.isEmpty, "\(unnamedChecks.count) errors without a check, e.g. \(unnamedChecks.prefix(8))")
  }
}

/// `replay --coverage`'s rows: every row a run records is one the list of all rows names.
@Suite("Mapping coverage rows")
struct CoverageRowTests {
  @Test(
    "every row the differential corpus reaches is in CoverageRow.all, and the corpus reaches most of them",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func recordedRowsAreListed() throws {
    let all = Set(CoverageRow.all)
    var reached: Set<CoverageRow> = []
    for c in try LineageTests.allCases() { reached.formUnion(try LineageTests.traced(c).rows) }
    #expect(reached.subtracting(all).isEmpty, "rows not listed: \(reached.subtracting(all).sorted().prefix(10))")
    #expect(reached.count * 10 > all.count * 6, "\(reached.count) of \(all.count)")
  }

  @Test(
    "a rows-only trace (record --dedupe) reaches exactly the rows a full trace does",
    .enabled(if: Paths.hasDifferentialVectors, "needs ../shared/conformance/differential"))
  func rowsOnlyTraceAgrees() throws {
    let transformer = TikTokAdsTransformer()
    for c in try DifferentialConformanceTests.cases("processor.json") {
      let full = try transformer.tracedProcessorResponse(for: c.input).rows
      let rowsOnly = try transformer.tracedProcessorResponse(for: c.input, lineage: false).rows
      #expect(full == rowsOnly, "\(c.name): \(full.symmetricDifference(rowsOnly).sorted().prefix(5))")
    }
  }

  @Test("the list of rows has no duplicates and names every spec rule and check")
  func listIsComplete() {
    #expect(Set(CoverageRow.all).count == CoverageRow.all.count)
    #expect(SpecRule.all.allSatisfy { CoverageRow.all.contains(.rule($0)) })
    #expect(CoverageRow.all.filter { $0.kind == .check }.count == Check.all.reduce(0) { $0 + $1.versions.count })
  }
}
