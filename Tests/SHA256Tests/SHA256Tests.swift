import SHA256
import Testing

/// SHA-256 against NIST's published vectors (CAVP SHAVS byte-oriented: short messages, the Monte Carlo chain)
/// and FIPS 180-4's examples, plus the padding boundaries and incremental feeding.
@Suite("SHA-256")
struct SHA256Tests {
  static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(hex.utf8)[...]
    while chars.count >= 2 {
      out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) ?? 0)
      chars = chars.dropFirst(2)
    }
    return out
  }

  /// SHA256ShortMsg.rsp (Len = 0, 8, 16, 24, 32 bits). `Len = 0` is written `Msg = 00` but means the empty message.
  static let shortMessages: [(String, String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"),
    ("11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98"),
    ("b4190e", "dff2e73091f6c05e528896c4c831b9448653dc2ff043528f6769437bc7b975c2"),
    ("74ba2521", "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e"),
  ]

  @Test("NIST short messages", arguments: shortMessages)
  func shortMessage(_ vector: (String, String)) {
    #expect(SHA256.hexDigest(Self.bytes(hex: vector.0)) == vector.1)
  }

  @Test("FIPS 180-4 examples: abc, the 448- and 896-bit messages, one million 'a'")
  func fipsExamples() {
    #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let m896 =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
    #expect(SHA256.hexDigest(Array(m896.utf8)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    #expect(
      SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// SHA256Monte.rsp: MD0 = MD1 = MD2 = Seed; MDi = SHA(MDi-3 || MDi-2 || MDi-1) for i in 3..<1003; Seed = MD1002.
  @Test("NIST Monte Carlo chain (100 checkpoints of 1000 hashes)")
  func monteCarlo() {
    var seed = Self.bytes(hex: "6d1e72ad03ddeb5de891e572e2396f8da015d899ef0e79503152d6010a3fe691")
    let checkpoints: [Int: String] = [
      0: "e93c330ae5447738c8aa85d71a6c80f2a58381d05872d26bdd39f1fcd4f2b788",
      1: "2e78f8c8772ea7c9331d41ed3f9cdf27d8f514a99342ee766ee3b8b0d0b121c0",
      2: "d6a23dff1b7f2eddc1a212f8a218397523a799b07386a30692fd6fe9d2bf0944",
      3: "fb0099a964fad5a88cf12952f2991ce256a4ac3049f3d389c3b9e6c00e585db4",
      4: "f9eba2a4cf6263826beaf6150057849eb975a9513c0b76ecad0f1c19ebbad89b",
      99: "6a912ba4188391a78e6f13d88ed2d14e13afce9db6f7dcbf4a48c24f3db02778",
    ]
    for j in 0..<100 {
      var md = [seed, seed, seed]
      for _ in 3..<1003 {
        md.append(SHA256.hash(md[md.count - 3] + md[md.count - 2] + md[md.count - 1]))
        md.removeFirst()
      }
      seed = md[2]
      if let expected = checkpoints[j] { #expect(SHA256.hex(seed) == expected, "checkpoint \(j)") }
    }
  }

  /// Messages around the 55/56/64-byte padding boundaries (reference digests from CPython's hashlib).
  static let boundaries: [(Int, String)] = [
    (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
    (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
    (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
    (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
    (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
    (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
    (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
    (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
  ]

  @Test("padding boundaries, one-shot and fed in pieces", arguments: boundaries)
  func boundary(_ vector: (Int, String)) {
    let message = (0..<vector.0).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
    #expect(SHA256.hexDigest(message) == vector.1)
    for split in [1, 7, 63, 64] {
      var h = SHA256()
      var rest = message[...]
      while !rest.isEmpty {
        h.update(rest.prefix(split))
        rest = rest.dropFirst(split)
      }
      #expect(SHA256.hex(h.finalize()) == vector.1, "fed \(split) bytes at a time")
    }
  }
}
