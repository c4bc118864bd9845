import Foundation
import Testing
import TestSupport

/// `dllm-play model-info FILE.gguf` through the real binary.
@Suite("model-info on GGUF files")
struct GGUFCommandTests {
    static let fixture = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/gguf/types.gguf")

    @Test("reports the architecture, tensor types and why a file without model keys does not run")
    func reportsFixture() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["model-info", Self.fixture.path], capturing: .standardOutput)
        #expect(result.status == 0)
        #expect(result.text.contains("GGUF v3") && result.text.contains("architecture llada"), "\(result.text)")
        #expect(result.text.contains("parameters   5632 in 11 tensors"), "\(result.text)")
        #expect(result.text.contains("Q4_K 1 (288 B)") && result.text.contains("BF16 1 (1.0 KiB)"), "\(result.text)")
        #expect(result.text.contains("runs         no: ") && result.text.contains("missing metadata key llada.embedding_length"), "\(result.text)")
    }

    @Test("a truncated file fails with the file, the byte and what was expected")
    func refusesTruncated() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: cut) }
        try Data(contentsOf: Self.fixture).prefix(100).write(to: cut)
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["model-info", cut.path], capturing: .standardError)
        #expect(result.status != 0)
        #expect(result.text.contains("\(cut.path): byte 8: tensor count: 11 is more than"), "\(result.text)")
    }
}

/// `run` and `model-info` on GGUF models of both families, through the real binary.
@Suite("GGUF models on the command line")
struct GGUFModelCommandTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/gguf")

    @Test("run decodes a GGUF file of each family with its own tokenizer, reproducibly",
          arguments: [("llada-tok.gguf", "fast-dllm"), ("dream-tok.gguf", "dream")])
    func runDecodes(file: String, decoder: String) throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let arguments = ["run", "--model", Self.folder.appendingPathComponent(file).path, "--decoder", decoder, "--prompt", "What is 2+3?",
                         "--gen-length", "8", "--no-timings", "--record", "-"]
        let first = try ChildProcess.run(URL(fileURLWithPath: binary), arguments, capturing: .standardOutput)
        let second = try ChildProcess.run(URL(fileURLWithPath: binary), arguments, capturing: .standardOutput)
        #expect(first.status == 0, "\(first.text)")
        #expect(first.text.contains("\"format\":\"dllm-play-trajectory\"") && first.text.contains("\(file.replacingOccurrences(of: ".gguf", with: ""))"))
        #expect(first.text == second.text)
    }

    @Test("model-info says the file runs and the tokenizer is reproduced")
    func modelInfoReportsRunStatus() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["model-info", Self.folder.appendingPathComponent("dream-tok.gguf").path],
                                          capturing: .standardOutput)
        #expect(result.status == 0)
        #expect(result.text.contains("runs         yes: dream (logits shifted by one), hidden 256"), "\(result.text)")
        #expect(result.text.contains("tokenizer    reproduced from tokenizer.ggml.* (pre llama-bpe): 1507 ids"), "\(result.text)")
        #expect(result.text.contains("Q4_K 3"), "\(result.text)")
    }

    @Test("run refuses a GGUF file without a tokenizer by name")
    func runRefusesWithoutTokenizer() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let path = Self.folder.appendingPathComponent("llada-tiny.f32.gguf").path
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["run", "--model", path, "--prompt", "hi"], capturing: .standardError)
        #expect(result.status != 0)
        #expect(result.text.contains("\(path): cannot reproduce the tokenizer: the file has no tokenizer.ggml.tokens"), "\(result.text)")
    }
}

extension GGUFModelCommandTests {
    @Test("bench --gguf writes a random GGUF per type, runs it and deletes it")
    func benchSmoke() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["bench", "--gguf", "--gguf-shape", "mini", "--gguf-types", "Q4_K",
                                                                         "--runs", "1", "--gguf-dir", directory.path], capturing: .standardOutput)
        #expect(result.status == 0, "\(result.text)")
        #expect(result.text.contains("random mini-shaped llada") && result.text.contains("    Q4_K "), "\(result.text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("tokenize reads a GGUF file's tokenizer and prints what its tokenizer.json gives")
    func tokenizeGGUF() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let json = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/tokenization/qwen2-style.tokenizer.json").path
        var outputs: [String] = []
        for model in [Self.folder.appendingPathComponent("llada-tok.gguf").path, json] {
            let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["tokenize", "--model", model, "Hello 123 <|mdm_mask|>"],
                                              capturing: .standardOutput)
            #expect(result.status == 0, "\(result.text)")
            outputs.append(result.text)
        }
        #expect(outputs[0] == outputs[1] && outputs[0].contains("(special)"), "\(outputs)")
    }
}
