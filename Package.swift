// swift-tools-version: 6.0
// tiktok-harness: contract-testing and replay harness for RudderStack's TikTok Ads destination.
// No package dependencies: only the Swift toolchain (stdlib, Foundation, Dispatch, Glibc, Synchronization, Testing).
import PackageDescription

let settings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]
let libm: [LinkerSetting] = [.linkedLibrary("m", .when(platforms: [.linux]))]

let package = Package(
  name: "tiktok-harness",
  products: [
    .executable(name: "tiktok-harness", targets: ["tiktok-harness"])
  ],
  targets: [
    // Core libraries (pure, no I/O)
    .target(name: "JSON", swiftSettings: settings, linkerSettings: libm),
    .target(name: "SHA256", swiftSettings: settings),
    .target(name: "TikTokAds", dependencies: ["JSON", "SHA256"], swiftSettings: settings),
    .target(name: "Golden", dependencies: ["JSON", "SHA256"], swiftSettings: settings),
    // Delta debugging over a JSON tree (`minimize`): generic, the test to keep is the caller's
    .target(name: "Minimize", dependencies: ["JSON", "SHA256"], swiftSettings: settings),

    // Network: sockets and HTTP/1.1, the mock TikTok server, delivery and classification
    .target(name: "HTTP", swiftSettings: settings),
    .target(name: "MockTikTok", dependencies: ["HTTP", "JSON"], swiftSettings: settings),
    .target(name: "Delivery", dependencies: ["HTTP", "JSON"], swiftSettings: settings),
    // The built-in transformer served on rudder-transformer's routes (`serve-transformer`)
    .target(name: "TransformerServer", dependencies: ["HTTP", "JSON", "TikTokAds"], swiftSettings: settings),

    // Orchestration: replay of golden cases through a transformer (built-in or live URL), delivery cases via the mock
    .target(
      name: "Replay", dependencies: ["Golden", "JSON", "TikTokAds", "HTTP", "MockTikTok", "Delivery", "Minimize"],
      swiftSettings: settings),

    // Command line (thin: argument parsing, I/O, exit codes)
    .executableTarget(
      name: "tiktok-harness",
      dependencies: [
        "JSON", "TikTokAds", "Golden", "Minimize", "Replay", "HTTP", "MockTikTok", "Delivery", "TransformerServer",
      ],
      swiftSettings: settings),

    // Benchmarks (run in release; see BENCHMARKS.md)
    .executableTarget(
      name: "harness-bench", dependencies: ["JSON", "TikTokAds", "HTTP", "MockTikTok"], swiftSettings: settings),

    // Test support: running the built CLI, temporary folders, paths to ../shared
    .target(
      name: "TestSupport", dependencies: ["JSON", "HTTP", "MockTikTok"], path: "Tests/TestSupport",
      swiftSettings: settings),

    // Tests
    .testTarget(name: "JSONTests", dependencies: ["JSON", "TestSupport"], swiftSettings: settings),
    .testTarget(name: "SHA256Tests", dependencies: ["SHA256"], swiftSettings: settings),
    .testTarget(
      name: "TikTokAdsTests", dependencies: ["TikTokAds", "JSON", "SHA256", "TestSupport"], swiftSettings: settings),
    .testTarget(
      name: "GoldenTests", dependencies: ["Golden", "Replay", "Minimize", "JSON", "TestSupport"],
      swiftSettings: settings),
    .testTarget(name: "MinimizeTests", dependencies: ["Minimize", "JSON", "TestSupport"], swiftSettings: settings),
    .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"], swiftSettings: settings),
    .testTarget(
      name: "MockTikTokTests", dependencies: ["MockTikTok", "HTTP", "JSON", "TestSupport"], swiftSettings: settings),
    .testTarget(
      name: "DeliveryTests", dependencies: ["Delivery", "MockTikTok", "HTTP", "JSON", "TestSupport"],
      swiftSettings: settings),
    .testTarget(
      name: "CLITests", dependencies: ["JSON", "Golden", "SHA256", "TikTokAds", "HTTP", "TestSupport"],
      swiftSettings: settings),
    .testTarget(
      name: "RobustnessTests", dependencies: ["JSON", "HTTP", "TikTokAds", "MockTikTok", "TestSupport"],
      exclude: ["Fixtures"], swiftSettings: settings),
  ],
  swiftLanguageModes: [.v6]
)
