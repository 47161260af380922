// HTTP: HTTP/1.1 server and client on POSIX sockets (toolchain only).
