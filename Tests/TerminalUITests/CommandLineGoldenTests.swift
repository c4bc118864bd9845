import Foundation
import Testing
import TestSupport

/// The command line as a user sees it, compared exactly (both streams and the status) with
/// Tests/Fixtures/cli/NAME.txt, the way swift-argument-parser tests its examples. Run with
/// UPDATE_SNAPSHOTS=1 to rewrite the files on purpose after changing an option.
@Suite("command line goldens")
struct CommandLineGoldenTests {
    static let cases: [(String, [String])] = [
        ("help", ["--help"]),
        ("help-play", ["play", "--help"]),
        ("help-replay", ["replay", "--help"]),
        ("help-export", ["export", "--help"]),
        ("help-analyze", ["analyze", "--help"]),
        ("help-run", ["run", "--help"]),
        ("help-decoders", ["decoders", "--help"]),
        ("help-bench", ["bench", "--help"]),
        ("help-model-info", ["model-info", "--help"]),
        ("help-tokenize", ["tokenize", "--help"]),
        ("run-set-threshold-2", ["run", "--set", "threshold=2", "--prompt", "x"]),
        ("run-set-unknown-key", ["run", "--set", "nokey=1", "--prompt", "x"]),
        ("run-decoder-nope", ["run", "--decoder", "nope", "--prompt", "x"]),
        ("run-template-nope", ["run", "--template", "nope", "--prompt", "x"]),
        ("run-gen-length-max", ["run", "--gen-length", "9223372036854775807", "--prompt", "x"]),
        ("run-without-prompt", ["run"]),
        ("play-gen-length-0", ["play", "--gen-length", "0"]),
        ("default-gen-length-0", ["--gen-length", "0"]),
        ("model-info-length-0", ["model-info", "Models/llada-mini", "--length", "0"]),
        ("replay-without-file", ["replay"]),
        ("bench-decoders-comma", ["bench", "--decoders", ","]),
        ("bench-sweep-unknown-key", ["bench", "--sweep", "nokey=1"]),
        ("unknown-option", ["run", "--prompt", "x", "--bogus"]),
        ("play-compare-four", ["play", "--compare", "llada,wino,r2,dream"]),
        ("play-compare-unknown", ["play", "--compare", "llada,nope"]),
        ("export-nothing", ["export", "Tests/Fixtures/tui/demo.jsonl"]),
        ("export-cast-version-4", ["export", "Tests/Fixtures/tui/demo.jsonl", "--cast", "/dev/null", "--cast-version", "4"]),
        ("help-plot", ["plot", "--help"]),
        ("plot-not-a-report", ["plot", "Tests/Fixtures/tui/demo.jsonl", "--out", "/nonexistent"]),
        ("plot-missing-file", ["plot", "Tests/Fixtures/no-such-report.json"]),
    ]

    static func transcript(_ arguments: [String]) throws -> String {
        guard let binary = EndToEndTests.binary else { throw HostileInputTests.BinaryMissing() }
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), arguments, input: Data(),
                                          workingDirectory: Fixtures.repositoryRoot, environment: environment)
        return "$ dllm-play \(arguments.joined(separator: " "))\nstatus \(result.status)\n"
            + "--- standard output\n\(result.standardOutput)--- standard error\n\(result.standardError)"
    }

    @Test("exact output and status", arguments: cases.indices)
    func golden(index: Int) throws {
        let (name, arguments) = Self.cases[index]
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/cli/\(name).txt")
        let actual = try Self.transcript(arguments)
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name).txt differs; run with UPDATE_SNAPSHOTS=1 if the change is intended")
    }
}
