import Foundation
import HTTP
import TikTokAds
import TransformerServer

/// `tiktok-harness serve-transformer`: the built-in transformer on rudder-transformer's routes until SIGINT/SIGTERM.
let serveTransformerCommand = Command(
  name: "serve-transformer",
  summary:
    "Serve the built-in transformer over HTTP on rudder-transformer's routes (POST /v0/destinations/tiktok_ads, POST /routerTransform, GET /health), so replay, compare and minimize can use it as a live transformer. Binds 127.0.0.1 unless --host says otherwise; each request is answered on one thread, requests on different connections in parallel (--threads).",
  arguments: "",
  options: [
    .value("--host", "HOST", help: "address to bind (default 127.0.0.1)"),
    .value("--port", "PORT", help: "port to bind; 0 picks a free one (default 0)"),
    .value("--threads", "N", help: "event-loop threads, each answering one request at a time (1...64, default 2)"),
    .value("--max-body", "BYTES", help: "largest request body; larger gets 413 (default 64 MiB)"),
    .value("--max-batch-v2", "N", help: "Events 2.0 batch limit on /routerTransform (default 1000)"),
    .value("--max-batch-v1", "N", help: "Events 1.0 batch limit on /routerTransform (default 50)"),
  ],
  examples: [
    "tiktok-harness serve-transformer --port 9090",
    "tiktok-harness replay --transformer http://127.0.0.1:9090 --concurrency 8",
  ],
  exits: [
    .init(code: 0, meaning: "stopped by SIGINT or SIGTERM; the first stdout line was 'listening on http://HOST:PORT'"),
    .init(code: 2, meaning: "bad usage; the port is taken ('address already in use') or cannot be bound"),
  ],
  run: { args in
    guard args.positionals.isEmpty else { throw CLIError.usage("serve-transformer takes no positional arguments") }
    var config = TransformerServerConfiguration()
    try ServerOptions.parse(args, into: &config.http)
    if let n = try args.int("--max-batch-v2") {
      guard n > 0 else { throw CLIError.usage("--max-batch-v2 must be positive") }
      config.options.maxBatchSizeV2 = n
    }
    if let n = try args.int("--max-batch-v1") {
      guard n > 0 else { throw CLIError.usage("--max-batch-v1 must be positive") }
      config.options.maxBatchSizeV1 = n
    }

    return try ServerOptions.runUntilSignalled("serve-transformer") {
      let server = TransformerServer(configuration: config)
      try server.start()
      return (server.baseURL, server.stop)
    }
  }
)
