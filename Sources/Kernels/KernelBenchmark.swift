import Foundation

/// Times `matmul` on the shapes the forward pass uses, to give the sgemm ceiling that the
/// engine's own benchmark reports against.
public enum KernelBenchmark {
    public struct Shape: Sendable, Hashable {
        public let m: Int, k: Int, n: Int
        public init(m: Int, k: Int, n: Int) { self.m = m; self.k = k; self.n = n }
        public var flops: Double { 2 * Double(m) * Double(k) * Double(n) }
    }

    public struct Result: Sendable {
        public let shape: Shape
        public let medianSeconds: Double
        public var gflops: Double { shape.flops / medianSeconds / 1e9 }
    }

    /// The (K, N) pairs of the embedded model (d 256, MLP 1024) and of LLaDA-8B (d 4096),
    /// as weights [out, in] multiplied from the right (A·Wᵀ), for each M in `rows`.
    public static func defaultShapes(rows: [Int] = [1, 32, 256]) -> [Shape] {
        let pairs = [(256, 256), (256, 1024), (1024, 256), (1024, 1024), (4096, 4096), (4096, 1024), (1024, 4096)]
        return rows.flatMap { m in pairs.map { Shape(m: m, k: $0.0, n: $0.1) } }
    }

    /// Runs each shape at least `minimumRepeats` times and for at least `minimumSeconds`,
    /// after one warm-up call, and reports the median.
    public static func run(_ shape: Shape, minimumRepeats: Int = 5, minimumSeconds: Double = 0.2) -> Result {
        var rng = SplitMix64(seed: 7)
        var a = (0..<(shape.m * shape.k)).map { _ in Float(rng.nextUnitDouble() - 0.5) }
        var w = (0..<(shape.n * shape.k)).map { _ in Float(rng.nextUnitDouble() - 0.5) }
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        var times: [Double] = []
        a.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                c.withUnsafeMutableBufferPointer { cp in
                    let av = ConstMatrixView(ap.baseAddress!, rows: shape.m, columns: shape.k)
                    let wv = ConstMatrixView(wp.baseAddress!, rows: shape.n, columns: shape.k)
                    let cv = MatrixView(cp.baseAddress!, rows: shape.m, columns: shape.n)
                    matmul(av, wv, .transposed, into: cv)  // warm-up
                    var total = 0.0
                    while times.count < minimumRepeats || total < minimumSeconds {
                        let start = DispatchTime.now().uptimeNanoseconds
                        matmul(av, wv, .transposed, into: cv)
                        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        times.append(seconds)
                        total += seconds
                    }
                }
            }
        }
        times.sort()
        return Result(shape: shape, medianSeconds: times[times.count / 2])
    }
}
