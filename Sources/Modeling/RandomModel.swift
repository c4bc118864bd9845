import Foundation
import Kernels

extension TransformerModel {
    /// A model of `config`'s shape with seeded random f32 weights, built in memory as a
    /// safetensors image (so it loads through the same checks as a file). For benchmarks: uniform
    /// weights of standard deviation ≈ 0.02, norm weights 1, biases 0.
    public static func random(config: ModelConfig, seed: UInt64, name: String = "random") throws -> TransformerModel {
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
            let bytes = shape.reduce(4, *)
            entries.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + bytes)]}")
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
                let out = cursor.bindMemory(to: Float.self, capacity: count)
                if name.hasSuffix("norm.weight") || name.hasSuffix("ln_f.weight") || name.hasSuffix("model.norm.weight") {
                    out.update(repeating: 1, count: count)
                } else if name.hasSuffix(".bias") {
                    out.update(repeating: 0, count: count)
                } else {
                    for i in 0..<count { out[i] = Float(rng.nextUnitDouble() * 2 - 1) * scale }
                }
                cursor += count * 4
            }
        }
        let checkpoint = Checkpoint(files: [try SafetensorsFile(file: file)], directory: URL(fileURLWithPath: "/dev/null"))
        let special = SpecialTokens(mask: config.vocabularySize - 1, endOfText: config.vocabularySize - 2, endOfTurn: nil)
        return try TransformerModel(config: config, checkpoint: checkpoint, special: special, name: name)
    }
}
