import Foundation
import Kernels
import TestSupport
import Testing

@Suite struct ElementwiseTests {
    @Test(arguments: [(1, 1), (3, 7), (5, 64), (2, 255)])
    func rmsNormMatchesReference(rows: Int, dim: Int) {
        var rng = SplitMix64(seed: UInt64(rows * 1000 + dim))
        var x = randomFloats(rows * dim, scale: 3, rng: &rng)
        let weight = randomFloats(dim, rng: &rng)
        var fast = [Float](repeating: 0, count: rows * dim), slow = fast
        weight.withUnsafeBufferPointer { w in
            x.withUnsafeMutableBufferPointer { xp in
                let xv = ConstMatrixView(xp.baseAddress!, rows: rows, columns: dim)
                fast.withUnsafeMutableBufferPointer { rmsNorm(xv, weight: w.baseAddress!, epsilon: 1e-5, into: MatrixView($0.baseAddress!, rows: rows, columns: dim)) }
                slow.withUnsafeMutableBufferPointer { rmsNormReference(xv, weight: w.baseAddress!, epsilon: 1e-5, into: MatrixView($0.baseAddress!, rows: rows, columns: dim)) }
            }
        }
        #expect(mismatch(fast, slow, rtol: 1e-5, atol: 1e-6) == nil)
    }

    @Test(arguments: [(heads: 1, headDim: 2), (heads: 3, headDim: 8), (heads: 4, headDim: 64)])
    func rotaryMatchesReference(heads: Int, headDim: Int) {
        var rng = SplitMix64(seed: 11)
        let positions = [0, 5, 1, 300, 2, 17, 1023]  // explicit, unordered ids
        var fast = randomFloats(positions.count * heads * headDim, rng: &rng)
        var slow = fast
        let table = RotaryTable(headDim: headDim, theta: 10_000, maxPositions: 1024)
        fast.withUnsafeMutableBufferPointer {
            applyRotary(MatrixView($0.baseAddress!, rows: positions.count, columns: heads * headDim), heads: heads, positions: positions, table: table)
        }
        slow.withUnsafeMutableBufferPointer {
            applyRotaryReference(MatrixView($0.baseAddress!, rows: positions.count, columns: heads * headDim), heads: heads, headDim: headDim, positions: positions, theta: 10_000)
        }
        #expect(mismatch(fast, slow, rtol: 1e-5, atol: 1e-5) == nil)
    }

    @Test func rotaryIsRotateHalfNotInterleaved() {
        // headDim 4, position 1, θ = 1: frequencies 1 and 1/θ^(2/4) = 1. x = (1, 0, 0, 0):
        // rotate-half pairs index 0 with index 2, so the result is (cos 1, 0, sin 1, 0).
        var x: [Float] = [1, 0, 0, 0]
        let table = RotaryTable(headDim: 4, theta: 1, maxPositions: 2)
        x.withUnsafeMutableBufferPointer { applyRotary(MatrixView($0.baseAddress!, rows: 1, columns: 4), heads: 1, positions: [1], table: table) }
        #expect(mismatch(x, [Float(cos(1.0)), 0, Float(sin(1.0)), 0], atol: 1e-6) == nil)
    }

    @Test func softmaxIsStableAndNormalised() {
        var row: [Float] = [1000, 1001, 999, -.infinity]
        row.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: 4) }
        let e = [exp(-1.0), 1, exp(-2.0)], z = e.reduce(0, +)
        #expect(mismatch(row, [Float(e[0] / z), Float(1 / z), Float(e[2] / z), 0], rtol: 1e-6) == nil)

        var masked: [Float] = [-.infinity, -.infinity]
        masked.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: 2) }
        #expect(masked == [0, 0], "a fully masked row gives zeros, not NaN")
    }

    @Test func doubleSoftmaxEntropyAndLogSoftmaxAgree() {
        var rng = SplitMix64(seed: 5)
        for count in [1, 2, 7, 1000] {
            let logits = randomFloats(count, scale: 8, rng: &rng)
            var p = [Double](repeating: 0, count: count), logp = p
            logits.withUnsafeBufferPointer { l in
                p.withUnsafeMutableBufferPointer { softmaxDouble(l.baseAddress!, count: count, into: $0.baseAddress!) }
                logp.withUnsafeMutableBufferPointer { logSoftmax(l.baseAddress!, count: count, into: $0.baseAddress!) }
                let h = entropy(ofLogits: l.baseAddress!, count: count)
                // Naive references.
                let z = logits.map { exp(Double($0)) }.reduce(0, +)
                let naiveP = logits.map { exp(Double($0)) / z }
                let naiveH = -naiveP.map { $0 > 0 ? $0 * log($0) : 0 }.reduce(0, +)
                #expect(abs(p.reduce(0, +) - 1) < 1e-12)
                #expect(zip(p, naiveP).allSatisfy { abs($0 - $1) < 1e-12 })
                #expect(zip(logp, naiveP).allSatisfy { abs($0 - log($1)) < 1e-9 })
                #expect(abs(h - naiveH) < 1e-9, "entropy for \(count) values")
            }
        }
    }

    @Test func swiGLUMatchesReference() {
        var rng = SplitMix64(seed: 8)
        var gate = randomFloats(333, scale: 6, rng: &rng)
        let up = randomFloats(333, rng: &rng)
        var reference = gate
        up.withUnsafeBufferPointer { u in
            gate.withUnsafeMutableBufferPointer { swiGLU(gate: $0.baseAddress!, up: u.baseAddress!, count: 333) }
            reference.withUnsafeMutableBufferPointer { swiGLUReference(gate: $0.baseAddress!, up: u.baseAddress!, count: 333) }
        }
        #expect(mismatch(gate, reference, rtol: 1e-5, atol: 1e-6) == nil)
    }
}
