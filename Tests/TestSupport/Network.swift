import Foundation
import Glibc
import HTTP

/// A port on 127.0.0.1 with nothing listening: bound, read back, closed (a connection to it is refused).
public func closedLoopbackPort() -> UInt16 {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_port = 0
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
  _ = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
  }
  return UInt16(bigEndian: addr.sin_port)
}

/// The client error `body` throws, or `nil` when it succeeds.
public func clientError(_ body: () throws(HTTPClientError) -> Void) -> HTTPClientError? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}
