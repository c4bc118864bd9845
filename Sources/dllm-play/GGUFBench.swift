import Foundation
import Kernels
import Modeling

/// `dllm-play bench --gguf`: for each tensor type, a random model of the chosen shape written as
/// a GGUF file into `--gguf-dir` (never committed; deleted after its row unless `--keep-gguf`),
/// then loaded and timed: a full forward at L = 64, a prefill of 288 rows that builds the cache,
/// and a dual-cache step (32 rows attending to the 288 cached ones), each the median of `runs`
/// after a warm-up. Peak RSS is the process's high-water mark (VmHWM) from the load to the last
/// pass, reset between types (it counts the mapped file's pages as they are touched). "dequant"
/// is the widening/dequantization alone of every matrix of one pass (`timeWidenOnly`).
enum GGUFBench {
    static let shapes: [String: ModelConfig] = [
        "mini": EngineBench.miniShape,
        "1b": EngineBench.oneBillionShape,
        // LLaDA-8B: d 4096, 32 layers, 32 heads, MLP 12288, vocabulary 126464.
        "8b": ModelConfig(family: .llada, hiddenSize: 4096, layerCount: 32, headCount: 32, kvHeadCount: 32, intermediateSize: 12288,
                          vocabularySize: 126_464, ropeTheta: 500_000, rmsNormEpsilon: 1e-5, maxSequenceLength: 4096,
                          tiedEmbeddings: false, qkvBias: false),
    ]
    static let defaultTypes = "BF16,F16,Q8_0,Q4_0,Q4_1,Q5_0,Q5_1,Q4_K,Q5_K,Q6_K,Q4_K_M"
    static let fullLength = 64, prefillLength = 288, windowRows = 32, windowStart = 128

    static func parseTypes(_ list: String) throws -> [RandomGGUF.Types] {
        try list.split(separator: ",").map { name in
            let name = name.trimmingCharacters(in: .whitespaces).uppercased()
            if name == "Q4_K_M" { return .q4_K_M }
            guard let type = GGMLType.allCases.first(where: { $0.description.uppercased() == name }) else {
                throw BenchError(message: "--gguf-types: unknown type \(name) (known: \(defaultTypes), F32)")
            }
            return .all(type)
        }
    }

    static func run(shape: String, types: String, directory: String, runs: Int, keep: Bool) throws {
        defer { fflush(nil) }
        guard let config = shapes[shape] else {
            throw BenchError(message: "--gguf-shape \(shape): expected one of \(shapes.keys.sorted().joined(separator: ", "))")
        }
        let list = try parseTypes(types)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let parameters = RandomGGUF.plan(config, types: .all(.f32)).reduce(0) { $0 + $1.shape.reduce(1, *) }
        print("GGUF forward passes, random \(shape)-shaped \(config.family.rawValue) (\(String(format: "%.1f", Double(parameters) / 1e6)) M "
              + "parameters), median of \(runs) after a warm-up — \(BLASRuntime.summary)")
        print("files in \(directory) (\(keep ? "kept" : "deleted after each row")); peak RSS = VmHWM from load to the last pass")
        print(pad("type", 8) + pad("file", 10) + pad("write s", 9) + pad("load ms", 9) + pad("full 64 ms", 12)
              + pad("prefill 288 ms", 16) + pad("dual step ms", 14) + pad("dequant ms", 12) + pad("peak RSS", 10))
        for types in list {
            let path = (directory as NSString).appendingPathComponent("random-\(shape)-\(types).gguf")
            let written = Date()
            try RandomGGUF.write(path: path, config: config, types: types, seed: 1, name: "random-\(shape)-\(types)")
            let writeSeconds = Date().timeIntervalSince(written)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            try measure()
            func measure() throws {
                PeakMemory.reset()
                let loaded = Date()
                let model = try TransformerModel.load(gguf: URL(fileURLWithPath: path))
                let loadSeconds = Date().timeIntervalSince(loaded)
                var rng = SplitMix64(seed: 3)
                let canvas = (0..<prefillLength).map { _ in Int(rng.next() % UInt64(config.vocabularySize)) }
                let full = ForwardRequest.full(Array(canvas.prefix(fullLength)))
                let fullSeconds = try median(runs) { try model.forward(full).seconds }
                let prefill = ForwardRequest.full(canvas, cache: .build, logitRows: [])
                let prefillSeconds = try median(runs) { model.resetCache(); return try model.forward(prefill).seconds }
                let window = Array(windowStart..<windowStart + windowRows)
                let step = ForwardRequest(tokens: window.map { canvas[$0] }, positions: window,
                                          cache: .window(rows: windowStart..<windowStart + windowRows))
                let stepSeconds = try median(runs) { try model.forward(step).seconds }
                // Before the widen probe, which reads every weight from the map again.
                let peak = PeakMemory.current()
                let widenSeconds = try median(runs) { model.timeWidenOnly() }
                print(pad("\(types)", 8) + pad(formatBytes(size), 10) + pad(String(format: "%.1f", writeSeconds), 9)
                      + pad(String(format: "%.0f", loadSeconds * 1e3), 9) + pad(String(format: "%.1f", fullSeconds * 1e3), 12)
                      + pad(String(format: "%.1f", prefillSeconds * 1e3), 16) + pad(String(format: "%.1f", stepSeconds * 1e3), 14)
                      + pad(String(format: "%.1f", widenSeconds * 1e3), 12)
                      + pad(peak.map(formatBytes) ?? "n/a", 10))
                fflush(nil)
            }
            if !keep { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private static func median(_ runs: Int, _ pass: () throws -> Double) throws -> Double {
        _ = try pass()
        var times: [Double] = []
        for _ in 0..<max(runs, 1) { times.append(try pass()) }
        return times.sorted()[times.count / 2]
    }

    private static func formatBytes(_ n: Int) -> String { GGUFInfo.formatBytes(n) }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// The process's resident-set high-water mark (Linux: VmHWM in /proc/self/status; writing 5 to
/// /proc/self/clear_refs resets it).
enum PeakMemory {
    static func reset() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func current() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }
}

struct BenchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
