import Foundation
import Testing
import TestSupport

/// The real binary's command-line errors: one line on standard error, a non-zero status, and
/// the terminal never taken over.
@Suite("command line")
struct CommandLineTests {
    /// Runs the binary with `arguments`; returns (status, standard error).
    static func run(_ binary: String, _ arguments: [String]) throws -> (Int32, String) {
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), arguments, capturing: .standardError)
        return (result.status, result.text)
    }

    @Test("a canvas beyond the model's context is one clear line, for run and for play",
          arguments: [["run"], ["play", "--plain"], ["play"]])
    func contextOverflow(command: [String]) throws {
        guard let binary = EndToEndTests.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        let model = Fixtures.repositoryRoot.appendingPathComponent("Models/llada-mini").path
        let (status, stderr) = try Self.run(binary, command + ["--model", model, "--gen-length", "192", "--prompt", "What is 2 + 3?"])
        #expect(status == 2, "exit status \(status), stderr: \(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got:\n\(stderr)")
        #expect(stderr.contains("beyond llada-mini's context of 128"), "\(stderr)")
        #expect(stderr.contains("hint: --gen-length"), "\(stderr)")
    }
}
