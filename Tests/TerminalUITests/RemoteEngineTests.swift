import Foundation
import Testing
import TestSupport

/// `run --engine` against the PyTorch engine (engines/torch) on the tiny checkpoints: every decoder
/// and cache mode gives the trajectory of the local engine, decision for decision (probabilities
/// within 1e-4: two f32 engines sum in different orders).
@Suite struct RemoteEngineTests {
    static let decoderSettings: [[String]] = [
        ["--decoder", "llada"],
        ["--decoder", "fast-dllm", "--set", "cache=none"],
        ["--decoder", "fast-dllm", "--set", "cache=prefix"],
        ["--decoder", "fast-dllm", "--set", "cache=dual"],
        ["--decoder", "d3llm"],
        ["--decoder", "d3llm", "--set", "kv_cache=false"],
        ["--decoder", "wino"],
        ["--decoder", "r2"],
        ["--decoder", "r2", "--set", "cache=prefix"],
        ["--decoder", "dream"],
        ["--decoder", "dparallel"],
        ["--decoder", "prophet"],
    ]

    @Test("every decoder and cache mode: the engine over TCP decodes as the local engine does",
          arguments: ["llada-tiny", "dream-tiny"])
    func matchesLocal(fixture: String) throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        guard let command = EngineTestSupport.engineCommand else { print("skipped: \(EngineTestSupport.missingVenv)"); return }
        let model = try EngineTestSupport.tinyModel(fixture)
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let engine = try ListeningEngine(command: command, model: model)
        for settings in Self.decoderSettings {
            let common = settings + ["--gen-length", "32"]
            let local = try EngineTestSupport.run(binary, ["--model", model.path] + common)
            let remote = try EngineTestSupport.run(binary, ["--engine", engine.address, "--engine-logits", "f32"] + common)
            let label = "\(fixture) \(settings.joined(separator: " "))"
            #expect(local.outcome.status == 0, "\(label) local: \(local.outcome.standardError)")
            #expect(remote.outcome.status == 0, "\(label) remote: \(remote.outcome.standardError)")
            #expect(local.lines.count > 2, "\(label): no steps recorded")
            if let difference = EngineTestSupport.difference(local.lines, remote.lines) {
                Issue.record("\(label): trajectories differ at \(difference)")
            }
            #expect(remote.lines.first?.contains("\"engine\":\"torch ") == true, "\(label): the header names no engine")
            #expect(local.lines.first?.contains("\"engine\"") == false, "\(label): a local header names an engine")
        }
    }

    /// The child-process transport (`--engine "CMD ..."`), and f16 logits: the decisions (commits,
    /// remasks) are those of the local engine; lower-ranked candidates of the predict events may
    /// swap where f16 rounds two probabilities together, so those are not compared.
    @Test("the engine as a child process over its standard streams, f16 logits")
    func childProcess() throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        guard let command = EngineTestSupport.engineCommand else { print("skipped: \(EngineTestSupport.missingVenv)"); return }
        let model = try EngineTestSupport.tinyModel("dream-tiny")
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let common = ["--decoder", "fast-dllm", "--set", "cache=dual", "--gen-length", "32"]
        let local = try EngineTestSupport.run(binary, ["--model", model.path] + common)
        let remote = try EngineTestSupport.run(binary, ["--engine", "'\(command)' --model '\(model.path)' --threads 1"] + common)
        #expect(remote.outcome.status == 0, "\(remote.outcome.standardError)")
        let decisions = EngineTestSupport.decisions(local.lines)
        #expect(decisions.count >= 32, "\(decisions)")
        #expect(EngineTestSupport.decisions(remote.lines) == decisions)
        #expect(local.lines.last?.contains("\"reason\":\"finished\"") == true && remote.lines.last == local.lines.last)
    }

    @Test("a model folder the engine cannot load: its typed error, one line, before any decode")
    func unloadableModel() throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        guard let command = EngineTestSupport.engineCommand else { print("skipped: \(EngineTestSupport.missingVenv)"); return }
        let result = try EngineTestSupport.run(binary, ["--engine", "'\(command)' --model /nonexistent/LLaDA-8B"])
        #expect(result.outcome.status == 2)
        let error = result.outcome.standardError
        #expect(error.split(separator: "\n").count == 1, "\(error)")
        #expect(error.contains("invalid-request: --model /nonexistent/LLaDA-8B: no such folder on this machine"), "\(error)")
    }

    /// A folder with its own modeling code runs through `transformers`: uncached decoders decode,
    /// a cached one stops at its first forward with the engine's `unsupported` error and a hint.
    @Test("the transformers fallback: uncached decodes run, cached ones get a typed error")
    func transformersFallback() throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        guard let command = EngineTestSupport.engineCommand else { print("skipped: \(EngineTestSupport.missingVenv)"); return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-toy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/engine/toy-diffusion"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = ["--engine", "'\(command)' --model '\(folder.path)' --backend transformers --threads 1", "--gen-length", "16"]
        let plain = try EngineTestSupport.run(binary, engine + ["--decoder", "fast-dllm", "--set", "cache=none"])
        #expect(plain.outcome.status == 0, "\(plain.outcome.standardError)")
        #expect(plain.lines.last?.contains("\"reason\":\"finished\"") == true)
        #expect(plain.lines.first?.contains("transformers-") == true, "the header names the fallback: \(plain.lines.first ?? "")")
        let cached = try EngineTestSupport.run(binary, engine + ["--decoder", "fast-dllm", "--set", "cache=dual"])
        #expect(cached.outcome.status == 2)
        #expect(cached.outcome.standardError.contains("unsupported: this engine serves no build cache"), "\(cached.outcome.standardError)")
        #expect(cached.outcome.standardError.contains("hint: --set cache=none"), "\(cached.outcome.standardError)")
        #expect(cached.lines.last?.contains("\"reason\":\"error\"") == true)
    }
}
