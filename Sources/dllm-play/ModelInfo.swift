import ArgumentParser
import Foundation
import Kernels
import Modeling
import Tokenization

/// `dllm-play model-info DIR`: what a checkpoint folder holds and what running it will cost.
struct ModelInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-info",
        abstract: "Show a checkpoint's family, shapes, parameters, dtypes, special ids, files, RAM and time estimates.")

    @Argument(help: "An HF checkpoint folder (config.json, safetensors, tokenizer.json), or a .gguf file.")
    var directory: String

    @Option(help: "Canvas length (tokens) for the RAM and time estimates.")
    var length = 256

    func validate() throws {
        try OptionRange.check(length, OptionRange.tokens, "--length")
    }

    func run() throws {
        if GGUFInfo.isGGUF(directory) {
            do { GGUFInfo.report(try GGUFFile(path: directory), length: length).forEach { print($0) } } catch {
                throw PlaygroundLauncher.fail("\(error)")
            }
            return
        }
        let model: TransformerModel
        let tokenizer: Tokenizer
        do {
            model = try TransformerModel.load(directory: URL(fileURLWithPath: directory))
            tokenizer = try Tokenizer.load(from: URL(fileURLWithPath: directory))
            try LoadedModel.checkAgreement(model, tokenizer)
        } catch {
            throw PlaygroundLauncher.fail("cannot load model \(directory): \(error)")
        }
        let c = model.config, d = model.descriptor
        guard length <= c.maxSequenceLength else {
            throw ValidationError("--length \(length) is beyond \(d.name)'s context of \(c.maxSequenceLength) (hint: --length \(c.maxSequenceLength) or less)")
        }
        print("model        \(d.name) (\(c.family.rawValue)\(c.shiftsLogits ? ", logits shifted by one" : ""))")
        print("weights hash \(d.weightsHash)")
        print("shape        hidden \(c.hiddenSize), \(c.layerCount) layers, \(c.headCount) heads × \(c.headDim)"
              + ", \(c.kvHeadCount) KV heads\(c.kvHeadCount < c.headCount ? " (GQA)" : ""), MLP \(c.intermediateSize)"
              + ", vocabulary \(c.vocabularySize)")
        print("             RoPE θ \(c.ropeTheta), RMSNorm ε \(c.rmsNormEpsilon), max length \(c.maxSequenceLength)"
              + ", QKV bias \(c.qkvBias ? "yes" : "no"), tied embeddings \(c.tiedEmbeddings ? "yes" : "no")")
        print("parameters   \(grouped(model.parameterCount)) (\(String(format: "%.2f", Double(model.parameterCount) / 1e9)) B)")
        print("tokenizer    \(URL(fileURLWithPath: tokenizer.file).lastPathComponent), \(tokenizer.vocabularySize) ids")
        print("dtypes       \(model.weightDTypes.map(\.rawValue).joined(separator: ", "))")
        print("gemm         \(model.projectionGEMM)")
        print("special ids  mask \(d.maskTokenID), end of text \(d.endOfTextID), end of turn \(d.endOfTurnID.map(String.init) ?? "none")")
        print("files")
        for file in model.weightFiles {
            print("  \(pad(bytes(file.bytes), 10))  \(URL(fileURLWithPath: file.path).lastPathComponent)")
        }
        print("RAM          about \(bytes(model.estimatedMemoryBytes(tokens: length))) for a \(length)-token forward"
              + " (weights stay memory-mapped; 16-bit weights are widened tile by tile)")

        // Time: FLOPs of a full forward at `length`, at the sgemm rate measured now for its main shape.
        let flops = model.forwardFLOPs(tokens: length, keys: length, logitRows: length)
        let probe = KernelBenchmark.run(KernelBenchmark.Shape(m: length, k: c.hiddenSize, n: c.intermediateSize),
                                        minimumRepeats: 3, minimumSeconds: 0.1)
        print(String(format: "time         about %.1f ms per %d-token forward (%.2f TFLOP at %.0f GFLOP/s, sgemm %dx%dx%d measured now; %@)",
                     flops / (probe.gflops * 1e9) * 1e3, length, flops / 1e12, probe.gflops,
                     length, c.hiddenSize, c.intermediateSize, BLASRuntime.summary))
    }

    private func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return out
    }

    private func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
