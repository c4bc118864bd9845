import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An engine listening on TCP (`dllm-play-engine --listen HOST:PORT`), reached at `tcp://HOST:PORT`.
enum TCPEngine {
    static func connect(host: String, port: Int, timeout: Double) throws(EngineError) -> EngineConnection {
        let label = "tcp://\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectFailed(engine: label, reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if systemConnect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&p, 1, Int32(min(timeout, 60) * 1000))
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                if ready > 0, soError == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return EngineConnection(engine: label, input: fd, output: fd, timeout: timeout,
                                            onClose: { _ = shutdown(fd, Int32(SHUT_RDWR)); _ = systemClose(fd) })
                }
                lastError = ready == 0 ? "no answer within \(Int(min(timeout, 60))) s" : String(cString: strerror(soError))
            } else {
                lastError = String(cString: strerror(errno))
            }
            _ = systemClose(fd)
        }
        throw .connectFailed(engine: label, reason: lastError)
    }
}

@inline(__always) private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
@inline(__always) private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
