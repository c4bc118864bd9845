import Foundation
import Kernels
import Modeling

/// `dllm-play bench --precision`: the native low-precision GEMMs against the f32 path, in one run.
/// - bf16 forward passes at L = 288 on the native path and on the f32 path (bf16 widened for
///   sgemm), same weights: a random 1B-shaped LLaDA model, or the bf16 checkpoint at `--checkpoint`;
/// - the projections of one forward (every layer's Wq, Wk, Wv, Wo, gate, up, down and the LM head)
///   at 288, 32 and 1 token rows, on the bf16 path (oneDNN; widened for sgemm below
///   `BF16GEMM.minimumRows`), Q8_0 (int8 kernel) and f32 sgemm on f32 weights;
/// - the embedded shape (d 256, 4 layers, f32) at L = 512, the figure PyTorch f32 is compared with.
/// The PyTorch side is `tools/bench_precision.py` (`make bench-precision` runs both, one after the other).
enum PrecisionBench {
    static let length = 288

    static func run(checkpoint: String?, runs: Int, skipRandom: Bool) throws {
        defer { fflush(nil) }
        print("precision bench, median of \(runs) runs after a warm-up — \(BLASRuntime.summary); \(GEMMChoice.summary)")
        print("machine load average at start: \(loadAverage()) (other processes share these cores);"
              + " CPU s/pass = process CPU time per pass, warm-up included")
        if let check = KernelSelfCheck.bf16Packing() { print(check) }
        let native = try GEMMChoice.forThisProcess()
        if let checkpoint {
            let start = Date()
            let model = try TransformerModel.load(directory: URL(fileURLWithPath: checkpoint), gemm: native)
            print(String(format: "\n%@ loaded (mapped) in %.1f s", model.descriptor.name, Date().timeIntervalSince(start)))
            try forwardPair(model, runs: runs)
            try projections(model.config, runs: runs)
        } else if !skipRandom {
            let start = Date()
            let model = try TransformerModel.random(config: EngineBench.oneBillionShape, seed: 1, name: "random-llada-1b-bf16",
                                                    dtype: .bf16, gemm: native)
            print(String(format: "\nrandom bf16 weights generated in %.1f s", Date().timeIntervalSince(start)))
            try forwardPair(model, runs: runs)
            try projections(model.config, runs: runs)
        }
        let mini = try TransformerModel.random(config: EngineBench.miniShape, seed: 2, name: "random-mini (d 256, 4 layers, f32)")
        print("\nembedded shape: \(mini.descriptor.name)")
        for length in [128, 512] {
            let request = ForwardRequest.full(tokens(length, vocabulary: mini.config.vocabularySize))
            let cpuBefore = processCPUSeconds()
            let seconds = try median(runs) { try mini.forward(request).seconds }
            let cpu = (processCPUSeconds() - cpuBefore) / Double(runs + 1)
            print(pad("full L=\(length)", 26) + pad(String(format: "%.1f ms", seconds * 1e3), 14)
                  + pad(String(format: "%.2f CPU s/pass", cpu), 18))
        }
    }

    /// The same bf16 weights on the native path and on the f32 path, full forward at L = 288.
    private static func forwardPair(_ model: TransformerModel, runs: Int) throws {
        let c = model.config
        print("\(model.descriptor.name): \(String(format: "%.2f", Double(model.parameterCount) / 1e9)) B parameters, "
              + "d \(c.hiddenSize), \(c.layerCount) layers, MLP \(c.intermediateSize), vocabulary \(c.vocabularySize), "
              + "dtypes \(model.weightDTypes.map(\.rawValue).joined(separator: ", "))")
        let request = ForwardRequest.full(tokens(length, vocabulary: c.vocabularySize))
        let flops = model.forwardFLOPs(tokens: length, keys: length, logitRows: length)
        var results: [(String, Double)] = []
        for candidate in [model, try model.rerouted(gemm: .requestedF32)] {
            let cpuBefore = processCPUSeconds()
            let seconds = try median(runs) { try candidate.forward(request).seconds }
            let cpu = (processCPUSeconds() - cpuBefore) / Double(runs + 1)
            results.append((candidate.projectionGEMM, seconds))
            print(pad("full L=\(length)", 14) + pad(String(format: "%.0f ms", seconds * 1e3), 12)
                  + pad(String(format: "%.0f GFLOP/s", flops / seconds / 1e9), 16)
                  + pad(String(format: "%.1f CPU s/pass", cpu), 18) + "  " + candidate.projectionGEMM)
        }
        print(String(format: "native / f32 path speed-up: %.2fx", results[1].1 / results[0].1))
    }

    /// The projections of one forward over `rows` tokens, timed per distinct shape and summed.
    private static func projections(_ c: ModelConfig, runs: Int) throws {
        // (out, in, how many per forward)
        var shapes = [(c.hiddenSize, c.hiddenSize, 2 * c.layerCount), (c.kvDim, c.hiddenSize, 2 * c.layerCount),
                      (c.intermediateSize, c.hiddenSize, 2 * c.layerCount), (c.hiddenSize, c.intermediateSize, c.layerCount)]
        // The LM head only where its three copies (f32, bf16, Q8_0) stay small beside a mapped model.
        if c.vocabularySize * c.hiddenSize <= 1 << 27 { shapes.append((c.vocabularySize, c.hiddenSize, 1)) }
        print("\nprojections of one forward (\(shapes.map { "\($0.2)×[\($0.0),\($0.1)]" }.joined(separator: " + "))), ms")
        print(pad("rows", 6) + pad("bf16 path", 14) + pad("q8_0 int8", 12) + pad("f32 sgemm", 12) + pad("q8_0 speed-up", 15) + pad("q8_0 row-major", 15))
        guard let bf16 = BF16GEMM() else { print("(oneDNN created no CPU engine)"); return }
        let q8 = Q8_0GEMM()
        var rng = SplitMix64(seed: 9)
        let weights = shapes.map { shape in
            let values = (0..<shape.0 * shape.1).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * 0.03 }
            return (f32: values, bf16: values.map(roundedToBFloat16),
                    q8: values.withUnsafeBufferPointer { Q8_0GEMM.quantize($0.baseAddress!, rows: shape.0, columns: shape.1) })
        }
        // What a model does: the prefill kernel on weights packed once at first use, from its row minimum.
        let packed = shapes.indices.map { i in
            weights[i].q8.withUnsafeBytes { Q8_0PackedWeights(q8_0: $0.baseAddress!, rows: shapes[i].0, columns: shapes[i].1) }
        }
        for rows in [length, 32, 1] {
            var totals = [0.0, 0.0, 0.0, 0.0]
            for (index, shape) in shapes.enumerated() {
                let x = (0..<rows * shape.1).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
                var out = [Float](repeating: 0, count: rows * shape.0)
                let w = weights[index]
                var widened = [Float](repeating: 0, count: shape.0 * shape.1)
                x.withUnsafeBufferPointer { xp in
                    out.withUnsafeMutableBufferPointer { op in
                        let a = ConstMatrixView(xp.baseAddress!, rows: rows, columns: shape.1)
                        let o = MatrixView(op.baseAddress!, rows: rows, columns: shape.0)
                        let times = [
                            w.bf16.withUnsafeBufferPointer { wp in
                                timeMedian(runs) {
                                    // What a bf16 model does: oneDNN, or widening for sgemm below its row minimum.
                                    if !bf16.multiply(a, weights: wp.baseAddress!, into: o) {
                                        widened.withUnsafeMutableBufferPointer { f in
                                            widenBFloat16(wp.baseAddress!, into: f.baseAddress!, count: f.count)
                                            matmul(a, ConstMatrixView(f.baseAddress!, rows: shape.0, columns: shape.1), .transposed, into: o)
                                        }
                                    }
                                }
                            },
                            w.q8.withUnsafeBytes { wp in
                                timeMedian(runs) {
                                    if rows >= Q8_0GEMM.packedMinimumRows, let p = packed[index] {
                                        q8.multiply(a, packed: p, into: o)
                                    } else {
                                        q8.multiply(a, q8_0: wp.baseAddress!, into: o)
                                    }
                                }
                            },
                            w.f32.withUnsafeBufferPointer { wp in
                                timeMedian(runs) { matmul(a, ConstMatrixView(wp.baseAddress!, rows: shape.0, columns: shape.1), .transposed, into: o) }
                            },
                            w.q8.withUnsafeBytes { wp in timeMedian(runs) { q8.multiply(a, q8_0: wp.baseAddress!, into: o) } },
                        ]
                        for i in 0..<4 { totals[i] += times[i] * Double(shape.2) }
                    }
                }
            }
            print(pad("\(rows)", 6) + pad(String(format: "%.1f", totals[0] * 1e3), 14) + pad(String(format: "%.1f", totals[1] * 1e3), 12)
                  + pad(String(format: "%.1f", totals[2] * 1e3), 12) + pad(String(format: "%.2fx", totals[0] / totals[1]), 15)
                  + pad(String(format: "%.1f", totals[3] * 1e3), 15))
            fflush(nil)
        }
    }

    private static func tokens(_ n: Int, vocabulary: Int) -> [Int] {
        var rng = SplitMix64(seed: 3)
        return (0..<n).map { _ in Int(rng.next() % UInt64(vocabulary)) }
    }

    private static func median(_ runs: Int, _ pass: () throws -> Double) throws -> Double {
        _ = try pass()
        var times: [Double] = []
        for _ in 0..<max(runs, 1) { times.append(try pass()) }
        return times.sorted()[times.count / 2]
    }

    private static func timeMedian(_ runs: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// CPU time of the whole process (all threads): on a shared machine, the work a pass costs
    /// whatever share of the cores it got (spin-waiting threads count too).
    private static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "unknown").split(separator: " ").prefix(3).joined(separator: " ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
