import Foundation

/// Runs a program to its end for a test: standard input is empty, one output stream is captured
/// and the other discarded.
public enum ChildProcess {
    public enum Stream { case standardOutput, standardError }

    /// Returns the exit status and the captured stream as text. The pipe is drained before
    /// waiting, so a program that writes more than a pipe holds cannot stall the test.
    public static func run(_ executable: URL, _ arguments: [String], capturing stream: Stream = .standardOutput)
        throws -> (status: Int32, text: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stream == .standardOutput ? pipe : FileHandle.nullDevice
        process.standardError = stream == .standardError ? pipe : FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension ChildProcess {
    /// What a finished program left: its status and both output streams.
    public struct Outcome: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// Runs a program with `input` on its standard input, capturing both outputs. Input is
    /// written and both pipes are drained on their own threads, so no pipe can stall the other.
    public static func run(_ executable: URL, _ arguments: [String], input: Data,
                           workingDirectory: URL? = nil, environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        if let environment { process.environment = environment }
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: group) { errorData = stderr.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) {
            // The program may stop reading early (and exit); a failed write is not the test's concern.
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData, as: UTF8.self))
    }
}
