import Kernels

/// Seeded uniform values in [−scale, scale), for kernel tests.
public func randomFloats(_ count: Int, scale: Float = 1, rng: inout SplitMix64) -> [Float] {
    (0..<count).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * scale }
}

/// Runs `body` with mutable views of three row-major matrices stored in arrays.
public func withMatrices<R>(_ a: inout [Float], _ aShape: (Int, Int),
                            _ b: inout [Float], _ bShape: (Int, Int),
                            _ c: inout [Float], _ cShape: (Int, Int),
                            _ body: (MatrixView, MatrixView, MatrixView) -> R) -> R {
    a.withUnsafeMutableBufferPointer { ap in
        b.withUnsafeMutableBufferPointer { bp in
            c.withUnsafeMutableBufferPointer { cp in
                body(MatrixView(ap.baseAddress!, rows: aShape.0, columns: aShape.1),
                     MatrixView(bp.baseAddress!, rows: bShape.0, columns: bShape.1),
                     MatrixView(cp.baseAddress!, rows: cShape.0, columns: cShape.1))
            }
        }
    }
}
