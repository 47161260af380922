import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 at a port the kernel picks, for the test servers of this target.
/// - Returns: the socket and its port.
func loopbackListener(backlog: Int32) throws -> (fd: Int32, port: Int) {
  let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard sock >= 0 else { throw POSIXError(.EIO) }
  var yes: Int32 = 1
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = 0
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
  }
  guard bound == 0, listen(sock, backlog) == 0 else {
    close(sock)
    throw POSIXError(.EADDRINUSE)
  }
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) }
  }
  return (sock, Int(UInt16(bigEndian: address.sin_port)))
}
