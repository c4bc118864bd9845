import ArgumentParser
import Foundation
import Kernels

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Decoders on a task suite (accuracy, NFE, TPF, tokens/s, AUP); or --kernels, --engine.",
        discussion: """
            With no --kernels/--engine: every decoder at its reference setting (and along --sweep) on the \
            suite's first --limit items of each task, with fixed seeds; prints the table, AUP and a plot of \
            accuracy against tokens per forward. Ctrl-C keeps the settings finished so far.
            """)

    @Flag(help: "Print sgemm GFLOP/s for the shapes of the embedded model and of LLaDA-8B.")
    var kernels = false

    @Flag(help: "Time forward passes of the embedded model and of a random 1B-shaped LLaDA model.")
    var engine = false

    @Flag(help: "bf16 on the native GEMM vs the f32 path, Q8_0 vs bf16 projections, the embedded shape (see tools/bench_precision.py for PyTorch's side).")
    var precision = false

    @Option(help: "A bf16 checkpoint folder for --precision (default: random 1B-shaped bf16 weights).")
    var checkpoint: String?

    @Option(help: "HF checkpoint folder or .gguf file (default: the embedded model).")
    var model = "Models/llada-mini"

    @OptionGroup(title: "Suite bench")
    var suite: SuiteBenchOptions

    @Option(help: "Timed runs per pass (the median is reported).")
    var runs = 5

    @Flag(help: "Skip the random 1B-shaped model (for --engine).")
    var skipRandom = false

    @Flag(help: "Time forward passes and peak RSS of a random model written as GGUF in each --gguf-types type.")
    var gguf = false

    @Option(help: "Shape of the --gguf model: mini, 1b or 8b (LLaDA-8B).")
    var ggufShape = "1b"

    @Option(help: "Comma-separated types for --gguf (F32, BF16, F16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K, Q4_K_M).")
    var ggufTypes = GGUFBench.defaultTypes

    @Option(help: "Where --gguf writes its files (never committed).")
    var ggufDir = ".build/gguf-bench"

    @Flag(help: "Keep the --gguf files instead of deleting each after its row.")
    var keepGguf = false

    func validate() throws {
        try OptionRange.check(runs, 1...10_000, "--runs")
    }

    func run() throws {
        if precision { return try PrecisionBench.run(checkpoint: checkpoint, runs: runs, skipRandom: skipRandom) }
        guard kernels || engine || gguf else { return try SuiteBench.run(suite, model: model) }
        if gguf { try GGUFBench.run(shape: ggufShape, types: ggufTypes, directory: ggufDir, runs: runs, keep: keepGguf) }
        if kernels { runKernels() }
        if engine { try EngineBench.run(embeddedDirectory: model, runs: runs, skipRandom: skipRandom) }
    }

    private func runKernels() {
        print("sgemm ceiling, C[M,N] = A[M,K]·W[N,K]ᵀ, median of repeats — \(BLASRuntime.summary)")
        print(String(repeating: "-", count: 52))
        print(pad("M", 6) + pad("K", 8) + pad("N", 8) + pad("ms", 12) + pad("GFLOP/s", 12))
        for shape in KernelBenchmark.defaultShapes() {
            let result = KernelBenchmark.run(shape)
            print(pad("\(shape.m)", 6) + pad("\(shape.k)", 8) + pad("\(shape.n)", 8)
                  + pad(String(format: "%.3f", result.medianSeconds * 1e3), 12)
                  + pad(String(format: "%.1f", result.gflops), 12))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
