import Foundation
import Kernels
import Modeling

/// `dllm-play bench --engine`: one forward pass of the embedded model and of a random 1B-shaped
/// LLaDA model at several canvas lengths, plus a dual-cache step, each against the sgemm ceiling
/// measured in the same run for the same matmul shapes (design.md §8).
enum EngineBench {
    /// LLaDA architecture at about 1B parameters (d 2048, 16 layers, MLP 5632, vocabulary 32000).
    static let oneBillionShape = ModelConfig(
        family: .llada, hiddenSize: 2048, layerCount: 16, headCount: 16, kvHeadCount: 16, intermediateSize: 5632,
        vocabularySize: 32000, ropeTheta: 500_000, rmsNormEpsilon: 1e-5, maxSequenceLength: 4096,
        tiedEmbeddings: false, qkvBias: false)

    /// The embedded model's planned shape (d 256, 4 layers, MLP 1024), for when it is absent.
    static let miniShape = ModelConfig(
        family: .llada, hiddenSize: 256, layerCount: 4, headCount: 4, kvHeadCount: 4, intermediateSize: 1024,
        vocabularySize: 1024, ropeTheta: 500_000, rmsNormEpsilon: 1e-5, maxSequenceLength: 1024,
        tiedEmbeddings: false, qkvBias: false)

    static let lengths = [64, 256, 512]
    /// The dual-cache step: a window of `windowRows` rows over a cache of `cachedRows`.
    static let cachedRows = 288, windowRows = 32, windowStart = 128

    static func run(embeddedDirectory: String, runs: Int, skipRandom: Bool) throws {
        defer { fflush(nil) }
        print("engine forward pass, median of \(runs) runs after a warm-up — \(BLASRuntime.summary)")
        print("ceiling = the pass's matmul shapes (projections, attention per head, LM head) timed alone with"
              + " KernelBenchmark; fraction = ceiling / forward")
        print("proj-only = the pass's own projection and LM-head sgemm calls on its own weights, run right after"
              + " each forward (robust to a busy machine); share = proj-only / forward")
        let embedded = URL(fileURLWithPath: embeddedDirectory)
        if ModelSource.isGGUF(embedded) {
            try bench(TransformerModel.load(gguf: embedded), runs: runs)
        } else if FileManager.default.fileExists(atPath: embedded.appendingPathComponent("config.json").path) {
            try bench(TransformerModel.load(directory: embedded), runs: runs)
        } else {
            print("\n(no embedded model at \(embeddedDirectory): skipped)")
        }
        try bench(TransformerModel.random(config: miniShape, seed: 2, name: "random-mini (d 256, 4 layers)"), runs: runs)
        if !skipRandom {
            let start = Date()
            let model = try TransformerModel.random(config: oneBillionShape, seed: 1, name: "random-llada-1b")
            print(String(format: "\n(random weights generated in %.1f s)", Date().timeIntervalSince(start)))
            try bench(model, runs: runs)
        }
    }

    private static func bench(_ model: TransformerModel, runs: Int) throws {
        let c = model.config
        print("\n\(model.descriptor.name): \(String(format: "%.0f", Double(model.parameterCount) / 1e6)) M parameters, "
              + "d \(c.hiddenSize), \(c.layerCount) layers, MLP \(c.intermediateSize), vocabulary \(c.vocabularySize)")
        print(pad("pass", 24) + pad("ms", 10) + pad("GFLOP/s", 9) + pad("ceiling ms", 12) + pad("fraction", 10)
              + pad("proj-only", 13) + pad("share", 7))
        var ceilings: [KernelBenchmark.Shape: Double] = [:]
        func ceiling(tokens: Int, keys: Int, rows: Int) -> Double {
            model.matmulShapes(tokens: tokens, keys: keys, logitRows: rows).reduce(0.0) { total, s in
                let shape = KernelBenchmark.Shape(m: s.m, k: s.k, n: s.n)
                if ceilings[shape] == nil { ceilings[shape] = KernelBenchmark.run(shape, minimumRepeats: 3).medianSeconds }
                return total + Double(s.count) * (ceilings[shape] ?? 0)
            }
        }
        var rng = SplitMix64(seed: 3)
        func tokens(_ n: Int) -> [Int] { (0..<n).map { _ in Int(rng.next() % UInt64(c.vocabularySize)) } }

        var fullAtCached = 0.0
        for length in lengths + [cachedRows] where length <= c.maxSequenceLength {
            let request = ForwardRequest.full(tokens(length))
            let (seconds, matmuls) = try median(runs, { try model.forward(request).seconds },
                                                { model.timeMatmulsOnly(tokens: length, logitRows: length) })
            if length == cachedRows { fullAtCached = seconds }
            report("full L=\(length)", seconds, model.forwardFLOPs(tokens: length, keys: length, logitRows: length),
                   ceiling(tokens: length, keys: length, rows: length), matmuls)
        }
        guard cachedRows <= c.maxSequenceLength else { return }
        let canvas = tokens(cachedRows)
        _ = try model.forward(.full(canvas, cache: .build, logitRows: []))
        let window = Array(windowStart..<windowStart + windowRows)
        let step = ForwardRequest(tokens: window.map { canvas[$0] }, positions: window,
                                  cache: .window(rows: windowStart..<windowStart + windowRows))
        let (seconds, matmuls) = try median(runs, { try model.forward(step).seconds },
                                            { model.timeMatmulsOnly(tokens: windowRows, logitRows: windowRows) })
        report("dual step \(windowRows) of \(cachedRows)", seconds,
               model.forwardFLOPs(tokens: windowRows, keys: cachedRows, logitRows: windowRows),
               ceiling(tokens: windowRows, keys: cachedRows, rows: windowRows), matmuls)
        print(String(format: "dual-cache step / full forward at L=%d: %.3f", cachedRows, seconds / fullAtCached))
    }

    /// Medians of `pass` and of `probe`, run alternately after one warm-up of each.
    private static func median(_ runs: Int, _ pass: () throws -> Double, _ probe: () -> Double) throws -> (Double, Double) {
        _ = try pass()
        _ = probe()
        var passes: [Double] = [], probes: [Double] = []
        for _ in 0..<max(runs, 1) {
            passes.append(try pass())
            probes.append(probe())
        }
        passes.sort()
        probes.sort()
        return (passes[passes.count / 2], probes[probes.count / 2])
    }

    private static func report(_ label: String, _ seconds: Double, _ flops: Double, _ ceiling: Double, _ matmuls: Double) {
        print(pad(label, 24) + pad(String(format: "%.1f", seconds * 1e3), 10)
              + pad(String(format: "%.1f", flops / seconds / 1e9), 9)
              + pad(String(format: "%.1f", ceiling * 1e3), 12) + pad(String(format: "%.2f", ceiling / seconds), 10)
              + pad(String(format: "%.1f", matmuls * 1e3), 13) + pad(String(format: "%.2f", matmuls / seconds), 7))
        fflush(nil)  // show progress when printing into a file
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
