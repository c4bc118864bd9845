import Foundation
@testable import Modeling
import Testing
import TestSupport

/// The GGUF writer and quantizers: what they write reads back through the bounds-checked reader
/// and runs as a model of either family in every type.
@Suite("GGUF writer")
struct GGUFWriterTests {
    /// Quantize then dequantize a random row: the error stays within the type's step.
    @Test(arguments: GGMLType.allCases)
    func roundTripError(type: GGMLType) {
        var rng = SplitMix64Tester(seed: 7)
        let row = (0..<512).map { _ in Float(rng.next()) * 2 - 1 }
        var bytes = [UInt8](repeating: 0, count: type.rowBytes(columns: 512)!)
        var back = [Float](repeating: .nan, count: 512)
        row.withUnsafeBufferPointer { source in
            bytes.withUnsafeMutableBytes { type.quantizeRow(source.baseAddress!, columns: 512, into: $0.baseAddress!) }
        }
        bytes.withUnsafeBytes { raw in back.withUnsafeMutableBufferPointer { type.dequantizeRow(raw.baseAddress!, columns: 512, into: $0.baseAddress!) } }
        let bound: Float = switch type {
        case .f32: 0
        case .f16: 1e-3
        case .bf16: 4e-3
        case .q8_0: 0.01
        case .q6_K: 0.04
        case .q5_0, .q5_1, .q5_K: 0.07
        case .q4_0, .q4_1, .q4_K: 0.15
        }
        let worst = zip(row, back).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst <= bound, "\(type): worst error \(worst)")
    }

    static let families: [ModelConfig] = [
        ModelConfig(family: .llada, hiddenSize: 256, layerCount: 1, headCount: 4, kvHeadCount: 4, intermediateSize: 256,
                    vocabularySize: 40, ropeTheta: 10_000, rmsNormEpsilon: 1e-5, maxSequenceLength: 64, tiedEmbeddings: false, qkvBias: false),
        ModelConfig(family: .dream, hiddenSize: 256, layerCount: 1, headCount: 4, kvHeadCount: 2, intermediateSize: 256,
                    vocabularySize: 40, ropeTheta: 1e6, rmsNormEpsilon: 1e-6, maxSequenceLength: 64, tiedEmbeddings: true, qkvBias: true),
    ]

    /// A random model of each family written in each type loads, and computes the logits of its
    /// own weights dequantized to f32.
    @Test(arguments: GGMLType.allCases)
    func everyTypeRunsInBothFamilies(type: GGMLType) throws {
        for config in Self.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("written-\(UUID().uuidString).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try RandomGGUF.write(path: url.path, config: config, types: .all(type), seed: 5, std: 0.1)
            let model = try TransformerModel.load(gguf: url, gemm: .requestedF32)
            #expect(model.config.family == config.family && model.config.tiedEmbeddings == config.tiedEmbeddings)
            #expect(model.weightDTypes.contains(TensorDType(type)))
            #expect(mismatch(try probeLogits(model), try probeLogits(model.widenedToF32()), rtol: 1e-5, atol: 1e-6) == nil, "\(type) \(config.family)")
        }
    }

    @Test func q4KMMixFollowsTheRule() {
        let c = ModelConfig(family: .llada, hiddenSize: 256, layerCount: 32, headCount: 4, kvHeadCount: 4, intermediateSize: 256,
                            vocabularySize: 40, ropeTheta: 10_000, rmsNormEpsilon: 1e-5, maxSequenceLength: 64, tiedEmbeddings: false, qkvBias: false)
        let plan = RandomGGUF.plan(c, types: .q4_K_M)
        let six = plan.filter { $0.type == .q6_K }.map(\.name)
        #expect(six.contains("output.weight") && six.contains("blk.0.attn_v.weight") && six.contains("blk.31.ffn_down.weight"))
        #expect(!six.contains("blk.4.attn_v.weight") && six.contains("blk.6.attn_v.weight"))
        #expect(plan.first { $0.name == "blk.4.attn_q.weight" }?.type == .q4_K)
    }
}

/// A small deterministic source of floats in [0, 1) for the round-trip rows.
struct SplitMix64Tester {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
