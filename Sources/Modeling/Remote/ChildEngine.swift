import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An engine run as `/bin/sh -c COMMAND`: frames over its standard input and output, its standard
/// error kept (last 4 KiB) to explain an early exit. Closing the connection closes the engine's
/// input (an engine, or ssh, exits on end of input), then terminates it if it lingers.
enum ChildEngine {
    static func launch(command: String, timeout: Double) throws(EngineError) -> EngineConnection {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let toEngine = Pipe(), fromEngine = Pipe(), errors = Pipe()
        process.standardInput = toEngine
        process.standardOutput = fromEngine
        process.standardError = errors
        let tail = StandardErrorTail()
        errors.fileHandleForReading.readabilityHandler = { handle in tail.append(handle.availableData) }
        do { try process.run() } catch {
            throw .launchFailed(engine: command, reason: "\(error.localizedDescription) (hint: is /bin/sh present?)")
        }
        // Our copies of the child's ends must go, or end of input is never seen.
        try? toEngine.fileHandleForReading.close()
        try? fromEngine.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()
        let writeHandle = toEngine.fileHandleForWriting, readHandle = fromEngine.fileHandleForReading
        return EngineConnection(
            engine: command, input: readHandle.fileDescriptor, output: writeHandle.fileDescriptor, timeout: timeout,
            closeDetail: {
                // Give a dying engine a moment to finish writing its last words.
                for _ in 0..<20 where process.isRunning { usleep(25_000) }
                var parts: [String] = []
                if !process.isRunning {
                    parts.append(process.terminationReason == .uncaughtSignal
                                 ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)")
                }
                if let line = tail.lastLine { parts.append(line) }
                return parts.joined(separator: ": ")
            },
            onClose: {
                try? writeHandle.close()
                for _ in 0..<40 where process.isRunning { usleep(25_000) }
                if process.isRunning { process.terminate() }
                for _ in 0..<40 where process.isRunning { usleep(25_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                try? readHandle.close()
                errors.fileHandleForReading.readabilityHandler = nil
            })
    }
}

/// The last few KiB an engine wrote to standard error (filled on a Foundation reader thread).
final class StandardErrorTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let keep = 4096

    func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        bytes.append(contentsOf: data)
        if bytes.count > keep { bytes.removeFirst(bytes.count - keep) }
    }

    /// The last non-empty line, trimmed to 300 characters.
    var lastLine: String? {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        return String(line.trimmingCharacters(in: .whitespaces).prefix(300))
    }
}
