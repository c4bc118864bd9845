import ArgumentParser
import Foundation
import Modeling
import Tokenization

/// Where forward passes run (docs/engine-protocol.md): `--engine local` (default, this process)
/// or a remote engine: a command speaking the protocol on its standard streams, or tcp://HOST:PORT.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("engine"),
            help: "Where forward passes run: local, tcp://HOST:PORT, or a command such as \"ssh gpu1 dllm-play-engine --model /data/LLaDA-8B-Instruct\".")
    var address = "local"
    @Option(name: .customLong("engine-timeout"), help: "Seconds a remote engine may take to answer (model loading included).")
    var timeout = 300.0
    @Option(name: .customLong("engine-logits"), help: "Logit format from a remote engine: f16, bf16 or f32.")
    var logits = "f16"

    func validate() throws {
        _ = try parsedAddress()
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--engine-timeout \(timeout): expected seconds in (0, 86400]")
        }
        guard LogitFormat(name: logits) != nil else { throw ValidationError("--engine-logits \(logits): expected f16, bf16 or f32") }
    }

    func parsedAddress() throws -> EngineAddress {
        do { return try EngineAddress(parsing: address) } catch { throw ValidationError(error.description) }
    }

    /// The logit formats to offer, the chosen one first.
    var formats: [LogitFormat] {
        let chosen = LogitFormat(name: logits) ?? .f16
        return [chosen] + LogitFormat.allCases.filter { $0 != chosen }
    }

    /// The predictor and tokenizer for `modelPath`: loaded here for the local engine; for a remote
    /// one the model is the engine's, and so is the tokenizer (fetched over the connection and
    /// kept in a temporary folder named by the weights hash).
    func load(modelPath: String) throws -> (predictor: any MaskPredictor, tokenizer: Tokenizer) {
        try Self.load(address: parsedAddress(), formats: formats, timeout: timeout, modelPath: modelPath)
    }

    static func load(address: EngineAddress, formats: [LogitFormat] = [.f16, .bf16, .f32], timeout: Double = 300,
                     modelPath: String) throws -> (predictor: any MaskPredictor, tokenizer: Tokenizer) {
        if address == .local {
            let directory = Run.locate(modelPath)
            do {
                let (model, tokenizer) = try ModelSource.load(directory)
                return (model, tokenizer)
            } catch {
                throw LoadFailure(message: "cannot load model \(directory.path): \(error)")
            }
        }
        let remote = try RemotePredictor(address: address, formats: formats, timeout: timeout)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dllm-play-engine-\(remote.descriptor.weightsHash.filter(\.isHexDigit))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["tokenizer.json", "tokenizer_config.json", "config.json"] {
            let url = folder.appendingPathComponent(name)
            if let data = try remote.file(named: name) { try data.write(to: url, options: .atomic) }
            else { try? FileManager.default.removeItem(at: url) }
        }
        do {
            return (remote, try Tokenizer.load(from: folder))
        } catch {
            throw LoadFailure(message: "engine \(address): its model's tokenizer: \(error)")
        }
    }
}
