/// SHA-256 (FIPS 180-4), incremental. Lowercase hex digests through ``SHA256/hexDigest(_:)``.
///
/// ```swift
/// SHA256.hexDigest(Array("abc".utf8))  // "ba7816bf…"
/// ```
public struct SHA256: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// The bytes of the block being filled (the first `pending`), held inline: hashing allocates nothing.
  private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  private var pending = 0
  private var length: UInt64 = 0

  /// A hasher with the initial state.
  public init() {}

  /// Feeds `bytes` into the hash.
  public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    length &+= UInt64(bytes.count)
    let handled: Void? = bytes.withContiguousStorageIfAvailable { absorb($0) }
    if handled == nil {
      let copy = Array(bytes)
      copy.withUnsafeBufferPointer { absorb($0) }
    }
  }

  private mutating func absorb(_ input: UnsafeBufferPointer<UInt8>) {
    var rest = input[...]
    while !rest.isEmpty {
      if pending == 0 && rest.count >= 64 {
        compress(UnsafeBufferPointer(rebasing: rest.prefix(64)))
        rest = rest.dropFirst(64)
        continue
      }
      let take = min(64 - pending, rest.count)
      let start = pending
      withUnsafeMutableBytes(of: &block) { block in
        for (k, byte) in rest.prefix(take).enumerated() { block[start + k] = byte }
      }
      pending += take
      rest = rest.dropFirst(take)
      if pending == 64 { compressBlock() }
    }
  }

  /// Compresses the full inline block and empties it.
  private mutating func compressBlock() {
    let full = block
    withUnsafeBytes(of: full) { raw in
      compress(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: 64))
    }
    pending = 0
  }

  /// Pads the message and compresses the last block(s); `state` is then the digest.
  private mutating func finish() {
    let bitLength = length &* 8
    withUnsafeMutableBytes(of: &block) { $0[pending] = 0x80 }
    pending += 1
    if pending > 56 {
      withUnsafeMutableBytes(of: &block) { block in for k in pending..<64 { block[k] = 0 } }
      compressBlock()
    }
    withUnsafeMutableBytes(of: &block) { block in
      for k in pending..<56 { block[k] = 0 }
      for k in 0..<8 { block[56 + k] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * k)) }
    }
    compressBlock()
  }

  /// Pads, finishes and returns the 32-byte digest. The hasher must not be used afterwards.
  public mutating func finalize() -> [UInt8] {
    finish()
    let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    return words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> UInt32(24 - 8 * $0)) } }
  }

  /// The digest of `bytes`.
  public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    var h = SHA256()
    h.update(bytes)
    return h.finalize()
  }

  /// The lowercase hex digest of `bytes`.
  public static func hexDigest<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var h = SHA256()
    h.update(bytes)
    h.finish()
    let state = h.state
    return String(unsafeUninitializedCapacity: 64) { out in
      let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
      for (i, w) in words.enumerated() {
        for k in 0..<8 { out[8 * i + k] = hexDigit(UInt8(truncatingIfNeeded: w >> UInt32(28 - 4 * k)) & 0xF) }
      }
      return 64
    }
  }

  /// Lowercase hex of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { out in
      for (i, b) in bytes.enumerated() {
        out[2 * i] = hexDigit(b >> 4)
        out[2 * i + 1] = hexDigit(b & 0xF)
      }
      return bytes.count * 2
    }
  }

  @inline(__always)
  private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10 }

  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  private mutating func compress(_ block: UnsafeBufferPointer<UInt8>) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      Self.k.withUnsafeBufferPointer { k in compress(block, schedule: w, constants: k) }
    }
  }

  private mutating func compress(
    _ block: UnsafeBufferPointer<UInt8>, schedule w: UnsafeMutableBufferPointer<UInt32>,
    constants k: UnsafeBufferPointer<UInt32>
  ) {
    for i in 0..<16 {
      w[i] =
        UInt32(block[i * 4]) << 24 | UInt32(block[i * 4 + 1]) << 16 | UInt32(block[i * 4 + 2]) << 8
        | UInt32(block[i * 4 + 3])
    }
    for i in 16..<64 {
      let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
      let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
      w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
    }
    var (a, b, c, d, e, f, g, h) = state
    for i in 0..<64 {
      let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
      let ch = (e & f) ^ (~e & g)
      let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
      let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
      let maj = (a & b) ^ (a & c) ^ (b & c)
      let t2 = s0 &+ maj
      h = g
      g = f
      f = e
      e = d &+ t1
      d = c
      c = b
      b = a
      a = t1 &+ t2
    }
    state = (
      state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
    )
  }
}

extension UInt32 {
  @inline(__always) fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
