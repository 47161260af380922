/// A deterministic slice of a corpus by case name, for splitting a replay across CI machines
/// (`replay --shard K/N`).
///
/// A case belongs to shard `K` of `N` when `bucket(name) == K - 1`, where the bucket is a stable hash of the case
/// name's UTF-8 bytes (64-bit FNV-1a, then the SplitMix64 finaliser to spread the bits) modulo `N`. It depends on
/// the name alone, not on the order of the walk, the paths given or the machine: the N shards are disjoint, their
/// union is the whole selection, and a case stays in its shard when others are added or removed.
public struct CaseShard: Sendable, Equatable, CustomStringConvertible {
  /// `K`, 1-based: `1/4` is the first of four shards.
  public let index: Int
  /// `N`, the number of shards.
  public let count: Int

  /// The largest `N` accepted.
  public static let maxCount = 1_000_000

  /// Shard `index` (1-based) of `count`.
  /// - Throws: ``CaseShardError`` unless `1 ≤ index ≤ count ≤ maxCount`.
  public init(index: Int, count: Int) throws(CaseShardError) {
    guard count >= 1, count <= Self.maxCount else {
      throw CaseShardError(message: "N in K/N must be 1...\(Self.maxCount), got \(count)")
    }
    guard index >= 1, index <= count else {
      throw CaseShardError(message: "K must be 1...\(count) (K is 1-based), got \(index)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `K/N`, e.g. `2/4`.
  /// - Throws: ``CaseShardError`` naming what is wrong.
  public init(parsing text: String) throws(CaseShardError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw CaseShardError(message: "expected K/N, e.g. 1/4 (K is 1-based), got '\(text)'")
    }
    try self.init(index: k, count: n)
  }

  /// `K/N`.
  public var description: String { "\(index)/\(count)" }

  /// `true` when the case named `name` belongs to this shard.
  public func contains(_ name: String) -> Bool { count == 1 || Self.bucket(of: name, count: count) == index - 1 }

  /// The 0-based bucket of `name` among `count`: `(splitmix64(fnv1a64(utf8(name)))) mod count`.
  public static func bucket(of name: String, count: Int) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
    hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
    hash ^= hash >> 31
    return Int(hash % UInt64(count))
  }
}

/// A `--shard` value that is not `K/N` with `1 ≤ K ≤ N`.
public struct CaseShardError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, e.g. `K must be 1...4 (K is 1-based), got 0`.
  public let message: String

  /// The message.
  public var description: String { message }
}
