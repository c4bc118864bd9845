import Foundation
import Modeling

/// `model-info FILE.gguf`: what a GGUF file holds (header, architecture hyperparameters, tokenizer
/// keys, tensor types), read through the same bounds-checked reader a load would use.
enum GGUFInfo {
    static func isGGUF(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path.lowercased().hasSuffix(".gguf")
            && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The report, one line per fact.
    static func report(_ file: GGUFFile, length: Int = 256) -> [String] {
        let architecture = file["general.architecture"]?.string ?? "(none)"
        var lines = ["file         \(file.file.path) (GGUF v\(file.version), \(formatBytes(file.file.size)), alignment \(file.alignment))",
                     "model        \(file["general.name"]?.string ?? "(unnamed)"), architecture \(architecture)"]
        let keys = ["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count",
                    "attention.head_count_kv", "rope.freq_base", "attention.layer_norm_rms_epsilon", "diffusion.shift_logits"]
        let shape = keys.compactMap { key in file["\(architecture).\(key)"].map { "\(key) \($0.summary)" } }
        if !shape.isEmpty { lines.append("shape        " + shape.joined(separator: ", ")) }
        let tokenizerKeys = ["model", "pre", "tokens", "merges", "token_type", "bos_token_id", "eos_token_id", "eot_token_id",
                             "mask_token_id", "padding_token_id"]
        let tokenizer = tokenizerKeys.compactMap { key -> String? in
            guard let value = file["tokenizer.ggml.\(key)"] else { return nil }
            if let array = value.array { return "\(key) \(array.count)" }
            return "\(key) \(value.summary)"
        }
        lines.append("tokenizer    " + (tokenizer.isEmpty ? "none in the file" : tokenizer.joined(separator: ", ")))
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        lines.append("parameters   \(parameters) in \(file.tensors.count) tensors")
        var byType: [String: (count: Int, bytes: Int)] = [:]
        for tensor in file.tensors { byType[tensor.type.description, default: (0, 0)].count += 1; byType[tensor.type.description]!.bytes += tensor.byteCount }
        lines.append("types        " + byType.sorted { ($0.value.bytes, $1.key) > ($1.value.bytes, $0.key) }
            .map { "\($0.key) \($0.value.count) (\(formatBytes($0.value.bytes)))" }.joined(separator: ", "))
        lines.append("metadata     \(file.metadata.count) keys")
        lines.append(contentsOf: runStatus(file, length: length))
        return lines
    }

    /// Whether the file runs as a model, and whether its tokenizer is reproduced, each with the
    /// reason when not.
    static func runStatus(_ file: GGUFFile, length: Int) -> [String] {
        var lines: [String] = []
        do {
            let model = try TransformerModel.load(gguf: URL(fileURLWithPath: file.file.path))
            let c = model.config, d = model.descriptor
            lines.append("runs         yes: \(c.family.rawValue)\(c.shiftsLogits ? " (logits shifted by one)" : ""), hidden \(c.hiddenSize), "
                         + "\(c.layerCount) layers, \(c.headCount) heads (\(c.kvHeadCount) KV), MLP \(c.intermediateSize), "
                         + "vocabulary \(c.vocabularySize), max length \(c.maxSequenceLength); block types dequantized tile by tile")
            lines.append("RAM          about \(formatBytes(model.estimatedMemoryBytes(tokens: min(length, c.maxSequenceLength)))) for a "
                         + "\(min(length, c.maxSequenceLength))-token forward (the file stays mapped in its own types)")
            lines.append("special ids  mask \(d.maskTokenID), end of text \(d.endOfTextID), end of turn \(d.endOfTurnID.map(String.init) ?? "none")")
        } catch {
            lines.append("runs         no: \(error)")
        }
        if GGUFTokenizer.isPresent(in: file) {
            do {
                let tokenizer = try GGUFTokenizer.load(file)
                lines.append("tokenizer    reproduced from tokenizer.ggml.* (pre \(file["tokenizer.ggml.pre"]?.string ?? "?")): "
                             + "\(tokenizer.vocabularySize) ids")
            } catch {
                lines.append("tokenizer    refused: \(error)")
            }
        } else {
            lines.append("tokenizer    refused: no tokenizer.ggml.tokens; play and run need one")
        }
        return lines
    }

    static func formatBytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }
}
