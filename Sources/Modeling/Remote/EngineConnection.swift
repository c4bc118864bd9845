import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A frame stream to an engine over two file descriptors (a child's pipes, or one socket twice).
/// Every read and write has a deadline, so a silent or stuck engine becomes `timedOut`, never a hang.
final class EngineConnection {
    let engine: String
    let timeout: Double
    private let input: Int32
    private let output: Int32
    /// Says why the stream ended (exit status, last standard-error line) when the other side goes away.
    private let closeDetail: () -> String
    private let onClose: () -> Void
    private var closed = false

    init(engine: String, input: Int32, output: Int32, timeout: Double,
         closeDetail: @escaping () -> String = { "" }, onClose: @escaping () -> Void = {}) {
        // A write to a stream whose reader has gone must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        self.engine = engine
        self.input = input
        self.output = output
        self.timeout = timeout
        self.closeDetail = closeDetail
        self.onClose = onClose
        for fd in Set([input, output]) { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        onClose()
    }

    /// Sends one frame.
    func send(_ frame: FrameWriter, waitingFor what: String) throws(EngineError) {
        let bytes = frame.frame
        let deadline = Date().addingTimeInterval(timeout)
        var sent = 0
        while sent < bytes.count {
            try wait(for: output, events: Int16(POLLOUT), until: deadline, what: what)
            let n = bytes.withUnsafeBytes { systemWrite(output, $0.baseAddress! + sent, bytes.count - sent) }
            if n > 0 { sent += n; continue }
            if n < 0, errno == EAGAIN || errno == EINTR { continue }
            throw gone()
        }
    }

    /// Receives one frame's payload (kind byte first); the length is checked before allocation.
    func receive(waitingFor what: String) throws(EngineError) -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        let header = try read(4, until: deadline, what: what)
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        guard length <= EngineWire.maxPayload else {
            throw .tooLarge(engine: engine, what: "frame payload", value: length, cap: EngineWire.maxPayload)
        }
        guard length > 0 else { throw .malformed(engine: engine, reason: "empty frame (no kind byte)") }
        return try read(length, until: deadline, what: what)
    }

    private func read(_ count: Int, until deadline: Date, what: String) throws(EngineError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            try wait(for: input, events: Int16(POLLIN), until: deadline, what: what)
            let n = buffer.withUnsafeMutableBytes { systemRead(input, $0.baseAddress! + got, count - got) }
            if n > 0 { got += n; continue }
            if n < 0, errno == EAGAIN || errno == EINTR { continue }
            throw gone(partial: got > 0 ? "stream ended \(got) bytes into a \(count)-byte read" : "")
        }
        return buffer
    }

    private func wait(for fd: Int32, events: Int16, until deadline: Date, what: String) throws(EngineError) {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw .timedOut(engine: engine, seconds: timeout, waitingFor: what) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready > 0 { return }  // readable, writable, or hung up: read/write says which
            if ready < 0, errno != EINTR { throw gone() }
        }
    }

    private func gone(partial: String = "") -> EngineError {
        let detail = [partial, closeDetail()].filter { !$0.isEmpty }.joined(separator: "; ")
        return .disconnected(engine: engine, detail: detail)
    }
}

@inline(__always) private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
@inline(__always) private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
