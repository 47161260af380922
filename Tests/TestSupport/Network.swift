import Foundation
import Glibc
import HTTP

/// A port on 127.0.0.1 with nothing listening: bound, read back, closed (a connection to it is refused).
public func closedLoopbackPort() -> UInt16 {
  guard let (fd, port) = bindIdleLoopbackPort() else { fatalError("cannot bind a loopback port") }
  close(fd)
  return port
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
