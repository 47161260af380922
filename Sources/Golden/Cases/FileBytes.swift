import Glibc

/// Whole-file reads with `open` and `read`, so that a pipe or a FIFO (`replay <(curl …)`, `/dev/stdin`) is read
/// to its end like a regular file. (Foundation's `FileManager.contents(atPath:)` returns `nil` for a FIFO.)
public enum FileBytes {
  /// The file's bytes, or the `errno` that stopped the read.
  public static func read(_ path: String) -> Result<[UInt8], FileReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return .failure(FileReadError(errno: errno)) }
    defer { close(fd) }
    var info = stat()
    if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG {
      return readRegular(fd, size: Int(info.st_size))
    }
    // A pipe: 64 KiB, doubled as needed.
    var bytes = [UInt8](repeating: 0, count: 64 * 1024)
    var count = 0
    while true {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
      let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(FileReadError(errno: errno))
      }
      if n == 0 { break }
      count += n
    }
    bytes.removeLast(bytes.count - count)
    return .success(bytes)
  }

  /// A regular file read straight into an array's uninitialised storage (no zero-filling first), with one byte
  /// to spare so the read that finds the end needs no growth; a file that grew meanwhile is read to its end.
  private static func readRegular(_ fd: Int32, size: Int) -> Result<[UInt8], FileReadError> {
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
      while true {
        let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        count += n
        if n == 0 || count == buffer.count { return }
      }
    }
    if failure != 0 { return .failure(FileReadError(errno: failure)) }
    if bytes.count == size + 1 {
      // The file grew since fstat: read the rest the slow way.
      var chunk = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
          if errno == EINTR { continue }
          return .failure(FileReadError(errno: errno))
        }
        if n == 0 { break }
        bytes += chunk[..<n]
      }
    }
    return .success(bytes)
  }
}

/// Why a file could not be read: the `errno` of `open` or `read`.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
  public var errno: Int32

  /// What a user reads after the path: `no such file`, `is a directory`, or `cannot be read (permission denied)`.
  public var description: String {
    switch errno {
    case ENOENT: return "no such file"
    case EISDIR: return "is a directory"
    default:
      let text = String(cString: strerror(errno))
      return "cannot be read (\(text.prefix(1).lowercased() + text.dropFirst()))"
    }
  }
}
