// swift-tools-version: 6.0
// tiktok-harness: contract-testing and replay harness for RudderStack's TikTok Ads destination.
// No package dependencies: only the Swift toolchain (stdlib, Foundation, Dispatch, Glibc, Synchronization, Testing).
import PackageDescription

let settings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "tiktok-harness",
  products: [
    .executable(name: "tiktok-harness", targets: ["tiktok-harness"]),
  ],
  targets: [
    // Core libraries (pure, no I/O)
    .target(name: "JSON", swiftSettings: settings, linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
    .target(name: "SHA256", swiftSettings: settings),
    .target(name: "TikTokAds", dependencies: ["JSON", "SHA256"], swiftSettings: settings),

    // Command line (thin: argument parsing, I/O, exit codes)
    .executableTarget(name: "tiktok-harness", dependencies: ["JSON", "TikTokAds"], swiftSettings: settings),

    // Tests
    .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: settings),
    .testTarget(name: "SHA256Tests", dependencies: ["SHA256"], swiftSettings: settings),
    .testTarget(name: "TikTokAdsTests", dependencies: ["TikTokAds", "JSON", "SHA256"], swiftSettings: settings),
  ],
  swiftLanguageModes: [.v6]
)
