import Foundation
import Kernels

/// The masked-diffusion transformer of both families (LLaDA and Dream), run on OpenBLAS.
///
/// Pre-RMSNorm blocks: x += Wo·attn(RoPE(Wq·n(x)), RoPE(Wk·n(x)), Wv·n(x)); x += Wdown·(silu(Wgate·n(x)) ⊙ Wup·n(x));
/// logits = Whead·n(x). Attention is bidirectional. Weights stay memory-mapped (see `WeightMatrix`).
/// One caller at a time: a forward pass mutates the KV cache and the work buffers.
public final class TransformerModel: MaskPredictor, @unchecked Sendable {
    public let descriptor: ModelDescriptor
    public let config: ModelConfig
    let weights: ModelWeights
    let checkpoint: Checkpoint
    let cache: KVCache
    let workspace: Workspace
    let scratch: WidenScratch
    var rotary: RotaryTable
    /// The GEMM the 16-bit projections run on (see `GEMMChoice`).
    public let gemm: GEMMChoice

    /// Largest tile of 16-bit weights widened at once (floats): 32 Mi floats = 128 MiB.
    public static let widenTileLimit = 32 << 20

    /// Loads an HF checkpoint folder: config.json, safetensors (single or sharded), special ids
    /// from config.json / generation_config.json / tokenizer.json.
    /// `widenTileFloats` caps the scratch that 16-bit weights are widened into (default 128 MiB);
    /// `gemm` overrides the GEMM chosen by CPU features and `DLLM_GEMM`.
    public static func load(directory: URL, widenTileFloats: Int = widenTileLimit, gemm: GEMMChoice? = nil) throws -> TransformerModel {
        let config = try ModelConfig.load(directory: directory)
        let checkpoint = try Checkpoint(directory: directory)
        let special = try SpecialTokens.read(directory: directory, config: config)
        return try TransformerModel(config: config, checkpoint: checkpoint, special: special,
                                    name: directory.standardizedFileURL.lastPathComponent, widenTileFloats: widenTileFloats, gemm: gemm)
    }

    public init(config: ModelConfig, checkpoint: Checkpoint, special: SpecialTokens, name: String,
                widenTileFloats: Int = widenTileLimit, gemm: GEMMChoice? = nil) throws {
        let weights = try ModelWeights(checkpoint: checkpoint, config: config)
        self.config = config
        self.weights = weights
        self.checkpoint = checkpoint
        descriptor = ModelDescriptor(
            family: config.family, name: name, weightsHash: WeightsHash.compute(checkpoint),
            vocabularySize: config.vocabularySize, maxSequenceLength: config.maxSequenceLength,
            maskTokenID: special.mask, endOfTextID: special.endOfText, endOfTurnID: special.endOfTurn)
        cache = KVCache(layerCount: config.layerCount, kvDim: config.kvDim)
        workspace = Workspace(hidden: config.hiddenSize, kvDim: config.kvDim, intermediate: config.intermediateSize)
        // 16-bit, quantized, permuted or misaligned weights go through the scratch; aligned f32 is used in place.
        let needsScratch = checkpoint.tensors.values.contains {
            $0.dtype != .f32 || $0.rowOrder != nil || Int(bitPattern: $0.bytes) % 4 != 0
        }
        let largest = max(config.hiddenSize * config.intermediateSize, config.hiddenSize * config.hiddenSize)
        let gemm = try gemm ?? GEMMChoice.forThisProcess()
        self.gemm = gemm
        scratch = WidenScratch(capacity: needsScratch ? min(max(largest, config.hiddenSize), widenTileFloats) : config.hiddenSize,
                               gemm: gemm.path)
        rotary = RotaryTable(headDim: config.headDim, theta: config.ropeTheta,
                             maxPositions: min(config.maxSequenceLength, 4096))
    }

    public var cachedLength: Int { cache.length }

    public func resetCache() { cache.length = 0 }

    public func truncateCache(to length: Int) { cache.length = max(0, min(length, cache.length)) }

    /// Parameter count (embedding and head counted once each; once when tied).
    public var parameterCount: Int {
        let c = config
        let perLayer = 2 * c.hiddenSize + 2 * c.hiddenSize * c.hiddenSize + 2 * c.kvDim * c.hiddenSize
            + 3 * c.hiddenSize * c.intermediateSize + (c.qkvBias ? c.hiddenSize + 2 * c.kvDim : 0)
        return c.vocabularySize * c.hiddenSize * (c.tiedEmbeddings ? 1 : 2) + c.layerCount * perLayer + c.hiddenSize
    }

    /// What the projections run on, e.g. "onednn-bf16 (avx512_bf16)" for bf16 weights on a CPU with
    /// bf16 dot products, "openblas-f32 (f32 weights)", or "openblas-f32 (DLLM_GEMM=f32)".
    public var projectionGEMM: String {
        let types = Set(weights.dtypes.map(\.rawValue))
        var paths: [String] = []
        if types.contains(TensorDType.q8_0.rawValue) {
            paths.append(scratch.lowPrecision ? "q8_0-int8 (\(Q8_0GEMM.kernelName)) for Q8_0 weights" : "openblas-f32 (Q8_0 dequantized)")
        }
        let subByte = weights.dtypes.filter(\.isSubByteBlockQuantized).map(\.rawValue).sorted()
        if !subByte.isEmpty {
            let names = subByte.joined(separator: "/")
            paths.append(scratch.bf16 != nil ? "\(gemm.description) on bf16 tiles for \(names) weights"
                                             : "openblas-f32 (\(names) dequantized)")
        }
        if types.contains(TensorDType.bf16.rawValue) {
            paths.append(scratch.bf16 != nil ? gemm.description : "openblas-f32 (bf16 widened; \(gemm.reason))")
        }
        if types.contains(TensorDType.f32.rawValue) || types.contains(TensorDType.f16.rawValue), paths.isEmpty {
            paths.append("openblas-f32 (\(types.sorted().joined(separator: "/").lowercased()) weights)")
        }
        return paths.isEmpty ? "openblas-f32" : paths.joined(separator: "; ")
    }

    /// The weight dtypes present in the checkpoint.
    public var weightDTypes: [TensorDType] { weights.dtypes.sorted { $0.rawValue < $1.rawValue } }

    /// Multiply-add FLOPs of one forward pass over `tokens` fresh tokens attending to `keys` keys,
    /// with logits for `logitRows` rows.
    public func forwardFLOPs(tokens n: Int, keys m: Int, logitRows r: Int) -> Double {
        let c = config
        let d = Double(c.hiddenSize), kv = Double(c.kvDim), i = Double(c.intermediateSize)
        let perToken = 2 * (2 * d * d + 2 * kv * d + 3 * d * i) + 4 * d * Double(m)
        return Double(c.layerCount) * Double(n) * perToken + 2 * Double(r) * d * Double(c.vocabularySize)
    }
}
