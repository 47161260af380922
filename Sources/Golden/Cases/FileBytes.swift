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
    let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    // A regular file: its size plus one byte, so the read that finds the end needs no growth. A pipe: 64 KiB.
    var bytes = [UInt8](repeating: 0, count: regular ? Int(info.st_size) + 1 : 64 * 1024)
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
