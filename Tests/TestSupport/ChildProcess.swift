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
