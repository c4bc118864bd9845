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

    /// The tiny LLaDA checkpoint of the modeling tests with a byte-level tokenizer, in a temporary folder.
    static func tinyModel() throws -> URL {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-cli-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/modeling/llada-tiny")
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: tiny.appendingPathComponent(file), to: model.appendingPathComponent(file))
        }
        try FileManager.default.copyItem(at: Fixtures.tui.appendingPathComponent("tiny-tokenizer.json"),
                                         to: model.appendingPathComponent("tokenizer.json"))
        return model
    }

    /// Every decoder through the real option parsing and session factory of `run` and
    /// `play --plain`, with no --set, on the smallest canvas the defaults rule has to shrink for
    /// (the full length matrix runs on the synthetic predictor in DefaultsRuleTests).
    @Test("every decoder's defaults run from the command line: run and play --plain", arguments: ["llada", "fast-dllm", "d3llm", "wino", "r2", "dream", "dparallel", "prophet"])
    func defaultsRun(decoder: String) throws {
        guard let binary = EndToEndTests.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        let model = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        for command in [["run"], ["play", "--plain"]] {
            let arguments = command + ["--model", model.path, "--template", "raw", "--prompt", "the sea", "--decoder", decoder,
                                       "--gen-length", "16"]
            let result = try ChildProcess.run(URL(fileURLWithPath: binary), arguments)
            #expect(result.status == 0, "\(command) --decoder \(decoder): status \(result.status)\n\(result.text)")
            #expect(result.text.contains("finished") || result.text.contains("early-stop"), "\(command) \(decoder):\n\(result.text)")
        }
    }
}
