import Foundation
import Modeling
import TestSupport
import Testing
import Tokenization

/// The shipped model, run by our engine, against the logits PyTorch computed from the same
/// exported weights at training time (`training/golden/llada-mini-forward.json`).
@Suite struct EmbeddedModelParityTests {
    struct Golden: Decodable {
        struct Row: Decodable {
            var position: Int
            var first_8_logits: [Float]
        }
        var templated_prompt: String
        var input_ids: [Int]
        var rows: [Row]
    }

    @Test func embeddedModelMatchesPyTorch() throws {
        let root = packageRoot()
        let directory = root.appendingPathComponent("Models/llada-mini")
        let goldenURL = root.appendingPathComponent("training/golden/llada-mini-forward.json")
        let golden = try JSONDecoder().decode(Golden.self, from: try Data(contentsOf: goldenURL))
        let model = try TransformerModel.load(directory: directory)
        #expect(model.descriptor.family == .llada && model.descriptor.maskTokenID == 5)

        // Our tokenizer sees the same ids as the training pipeline's HF tokenizer.
        let tokenizer = try Tokenizer.load(from: directory)
        let maskCount = golden.input_ids.count - tokenizer.encode(golden.templated_prompt).count
        #expect(tokenizer.encode(golden.templated_prompt) + Array(repeating: 5, count: maskCount) == golden.input_ids)

        let result = try model.forward(.full(golden.input_ids, logitRows: golden.rows.map(\.position)))
        for (r, row) in golden.rows.enumerated() {
            let ours = result.withRow(r) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
            #expect(mismatch(ours, row.first_8_logits, rtol: 1e-4, atol: 1e-4) == nil, "row \(row.position)")
        }
    }
}
