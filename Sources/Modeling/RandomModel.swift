import Foundation
import Kernels

extension TransformerModel {
    /// A model of `config`'s shape with seeded random f32 weights, built in memory as a
    /// safetensors image (so it loads through the same checks as a file). For benchmarks: uniform
    /// weights of standard deviation ≈ 0.02, norm weights 1, biases 0.
    /// `dtype` .bf16 stores the same draws rounded to bf16 (for the low-precision benchmarks).
    public static func random(config: ModelConfig, seed: UInt64, name: String = "random", dtype: TensorDType = .f32,
                              gemm: GEMMChoice? = nil) throws -> TransformerModel {
        precondition(dtype != .f16, "random models are f32 or bf16")
        let names = TensorNames(family: config.family)
        var shapes: [(String, [Int])] = [(names.embedding, [config.vocabularySize, config.hiddenSize])]
        for i in 0..<config.layerCount {
            for role in TensorNames.LayerRole.allCases {
                if !config.qkvBias, [.queryBias, .keyBias, .valueBias].contains(role) { continue }
                shapes.append((names.layer(i, role), TensorNames.shape(role, config)))
            }
        }
        shapes.append((names.finalNorm, [config.hiddenSize]))
        if !config.tiedEmbeddings { shapes.append((names.lmHead, [config.vocabularySize, config.hiddenSize])) }

        var entries: [String] = []
        var offset = 0
        for (name, shape) in shapes {
            let bytes = shape.reduce(dtype.byteSize, *)
            entries.append("\"\(name)\":{\"dtype\":\"\(dtype.rawValue)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var header = "{" + entries.joined(separator: ",") + "}"
        while (8 + header.utf8.count) % 64 != 0 { header += " " }  // align the data section
        let headerBytes = Array(header.utf8)
        let dataStart = 8 + headerBytes.count
        let file = try MappedFile(anonymousSize: dataStart + offset, name: "<random \(name)>") { base in
            base.storeBytes(of: UInt64(headerBytes.count).littleEndian, as: UInt64.self)
            headerBytes.withUnsafeBytes { (base + 8).copyMemory(from: $0.baseAddress!, byteCount: headerBytes.count) }
            var rng = SplitMix64(seed: seed)
            var cursor = base + dataStart
            let scale = Float(0.02 * 3.0.squareRoot())
            for (name, shape) in shapes {
                let count = shape.reduce(1, *)
                let value: (Int) -> Float
                if name.hasSuffix("norm.weight") || name.hasSuffix("ln_f.weight") || name.hasSuffix("model.norm.weight") {
                    value = { _ in 1 }
                } else if name.hasSuffix(".bias") {
                    value = { _ in 0 }
                } else {
                    value = { _ in Float(rng.nextUnitDouble() * 2 - 1) * scale }
                }
                if dtype == .bf16 {
                    let out = cursor.bindMemory(to: UInt16.self, capacity: count)
                    for i in 0..<count { out[i] = roundedToBFloat16(value(i)) }
                } else {
                    let out = cursor.bindMemory(to: Float.self, capacity: count)
                    for i in 0..<count { out[i] = value(i) }
                }
                cursor += count * dtype.byteSize
            }
        }
        let checkpoint = Checkpoint(files: [try SafetensorsFile(file: file)], directory: URL(fileURLWithPath: "/dev/null"))
        let special = SpecialTokens(mask: config.vocabularySize - 1, endOfText: config.vocabularySize - 2, endOfTurn: nil)
        return try TransformerModel(config: config, checkpoint: checkpoint, special: special, name: name, gemm: gemm)
    }
}
