import Foundation
import Kernels
import TestSupport
import Testing

@Suite struct VectorExpTests {
    @Test func expMatchesLibmAcrossTheRange() {
        var values: [Float] = stride(from: -87.0, through: 87.0, by: 0.0137).map(Float.init)
        values += [0, -0.0, 1e-8, -1e-8, 0.5, -0.5, 88]
        var fast = values
        fast.withUnsafeMutableBufferPointer { expInPlace($0.baseAddress!, count: $0.count) }  // includes a ragged tail
        let exact = values.map { Float(Foundation.exp(Double($0))) }
        #expect(mismatch(fast, exact, rtol: 4e-7, atol: 0) == nil)
    }

    @Test func expUnderflowsToZeroAndIsFiniteAtTheTop() {
        var values: [Float] = [-.infinity, -1000, -88, -87.4, 100, .greatestFiniteMagnitude]
        values.withUnsafeMutableBufferPointer { expInPlace($0.baseAddress!, count: $0.count) }
        #expect(values[0] == 0 && values[1] == 0 && values[2] == 0 && values[3] == 0)
        #expect(values[4].isFinite && values[4] > 1e38)
    }

    @Test(arguments: [1, 15, 16, 37, 300])
    func softmaxAndSwiGLUMatchTheirReferences(count: Int) {
        var rng = SplitMix64(seed: UInt64(count))
        var row = randomFloats(count, scale: 30, rng: &rng)
        if count > 3 { row[2] = -.infinity }
        var reference = row
        row.withUnsafeMutableBufferPointer { fastSoftmaxInPlace($0.baseAddress!, count: count) }
        reference.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: count) }
        #expect(mismatch(row, reference, rtol: 2e-6, atol: 1e-9) == nil)

        var gate = randomFloats(count, scale: 40, rng: &rng)
        let up = randomFloats(count, scale: 2, rng: &rng)
        var slow = gate
        gate.withUnsafeMutableBufferPointer { g in up.withUnsafeBufferPointer { fastSwiGLU(gate: g.baseAddress!, up: $0.baseAddress!, count: count) } }
        slow.withUnsafeMutableBufferPointer { g in up.withUnsafeBufferPointer { swiGLUReference(gate: g.baseAddress!, up: $0.baseAddress!, count: count) } }
        #expect(mismatch(gate, slow, rtol: 2e-6, atol: 1e-6) == nil)
    }

    @Test func allMaskedRowIsZeros() {
        var row: [Float] = [-.infinity, -.infinity, -.infinity]
        row.withUnsafeMutableBufferPointer { fastSoftmaxInPlace($0.baseAddress!, count: 3) }
        #expect(row == [0, 0, 0])
    }
}
