import Foundation
@testable import Modeling
import Testing
import TestSupport

/// GGUF files that parse but are not a model we can run, or whose tokenizer we cannot reproduce:
/// each is refused with the file and the key or tensor at fault.
@Suite("hostile GGUF models")
struct HostileGGUFModelTests {
    /// A copy of a fixture with `find` replaced by `replacement` (same length) once, in a temp file.
    func edited(_ fixture: String, _ find: String, _ replacement: String, body: (URL) throws -> Void) throws {
        try edited(fixture, Array(find.utf8), Array(replacement.utf8), body: body)
    }

    func edited(_ fixture: String, _ pattern: [UInt8], _ replacement: [UInt8], body: (URL) throws -> Void) throws {
        try #require(pattern.count == replacement.count)
        var bytes = [UInt8](try Data(contentsOf: ggufFixtures.appendingPathComponent(fixture)))
        let at = try #require((0...(bytes.count - pattern.count)).first { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) })
        bytes.replaceSubrange(at..<at + pattern.count, with: replacement)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        try body(url)
    }

    func loadError(_ url: URL) -> String {
        do {
            _ = try TransformerModel.load(gguf: url)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func missingTensorIsNamed() throws {
        try edited("dream-tok.gguf", "blk.0.ffn_up.weight", "blk.0.ffn_uq.weight") { url in
            let message = loadError(url)
            #expect(message.contains(url.path) && message.contains("missing tensor blk.0.ffn_up.weight"), "\(message)")
        }
    }

    @Test func misShapedTensorIsNamed() throws {
        // feed_forward_length 256 -> 0x0100 little-endian; claim 128 instead.
        let key = Array("dream.feed_forward_length".utf8) + [4, 0, 0, 0]  // the key, then its type (uint32)
        try edited("dream-tok.gguf", key + [0, 1], key + [0x80, 0]) { url in
            let message = loadError(url)
            #expect(message.contains("tensor blk.0.ffn_gate.weight has shape [256, 256]") && message.contains("expected [128, 256]"), "\(message)")
        }
    }

    @Test func unsupportedArchitectureIsRefusedByName() throws {
        try edited("llada-tok.gguf", "llada", "gemma") { url in
            let message = loadError(url)
            #expect(message.contains("general.architecture \"gemma\" is not one dllm-play runs (llada, dream)"), "\(message)")
        }
    }

    @Test func missingHyperparameterIsNamed() throws {
        try edited("llada-tok.gguf", "llada.block_count", "llada.block_cnunt") { url in
            let message = loadError(url)
            #expect(message.contains("missing metadata key llada.block_count"), "\(message)")
        }
    }

    @Test func contradictoryShiftIsRefused() throws {
        // LLaDA files say diffusion.shift_logits false; a LLaDA file that shifts is not one we run.
        let key = Array("diffusion.shift_logits".utf8) + [7, 0, 0, 0]  // the key, then its type (bool)
        try edited("llada-tok.gguf", key + [0], key + [1]) { url in
            let message = loadError(url)
            #expect(message.contains("diffusion.shift_logits is true for a llada model"), "\(message)")
        }
    }

    @Test func unknownPreTokenizerIsRefusedByName() throws {
        try edited("dream-tok.gguf", "llama-bpe", "falcon-xx") { url in
            let file = try GGUFFile(path: url.path)
            #expect(throws: GGUFError.self) { try GGUFTokenizer.load(file) }
            do { _ = try GGUFTokenizer.load(file) } catch {
                #expect("\(error)".contains("tokenizer.ggml.pre \"falcon-xx\" names a pre-tokenizer"), "\(error)")
            }
            // The model itself still loads: the weights do not depend on the tokenizer.
            #expect(loadError(url) == "loaded")
        }
    }

    @Test func truncatedModelFileIsRefused() throws {
        let data = try Data(contentsOf: ggufFixtures.appendingPathComponent("llada-tok.gguf"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.prefix(data.count - 1000).write(to: url)
        let message = loadError(url)
        #expect(message.contains(url.path) && message.contains("runs past the data section"), "\(message)")
    }

    @Test func unsupportedTypeIsNamed() throws {
        // blk.0.attn_q.weight: 2 dimensions of 256, type 12 (Q4_K); claim type 10 (Q2_K).
        let info = Array("blk.0.attn_q.weight".utf8) + [2, 0, 0, 0] + [0, 1, 0, 0, 0, 0, 0, 0] + [0, 1, 0, 0, 0, 0, 0, 0]
        try edited("dream-tok.gguf", info + [12], info + [10]) { url in
            let message = loadError(url)
            #expect(message.contains("tensor blk.0.attn_q.weight has ggml type 10 (Q2_K), which dllm-play does not read"), "\(message)")
        }
    }
}
