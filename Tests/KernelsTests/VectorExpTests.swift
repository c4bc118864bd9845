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
        row.withUnsafeMutableBufferPointer { scaledSoftmaxInPlace($0.baseAddress!, count: count, scale: 1, allowed: nil) }
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
        row.withUnsafeMutableBufferPointer { scaledSoftmaxInPlace($0.baseAddress!, count: 3, scale: 1, allowed: nil) }
        #expect(row == [0, 0, 0])
        var hidden: [Float] = [1, 2, 3]
        let none = [false, false, false]
        none.withUnsafeBufferPointer { a in
            hidden.withUnsafeMutableBufferPointer { scaledSoftmaxInPlace($0.baseAddress!, count: 3, scale: 0.5, allowed: a.baseAddress!) }
        }
        #expect(hidden == [0, 0, 0])
    }

    /// Every `CVectorMath` variant this CPU can run gives exactly the bits of the Swift definitions
    /// (the decoding goldens depend on it): exp over the whole range and its edges, the attention
    /// row step with and without a mask, and SwiGLU with ragged tails.
    /// The cases run one at a time: each switches the process-wide variant.
    @Test(.serialized, arguments: ["scalar", "avx2", "avx512f"])
    func vectorVariantsAreBitIdenticalToTheSwiftDefinitions(variant: String) {
        let previous = vectorMathVariant
        guard useVectorMathVariant(variant) else { return }   // this CPU cannot run it
        defer { _ = useVectorMathVariant(previous) }
        #expect(vectorMathVariant == variant)
        var rng = SplitMix64(seed: 21)
        var edges: [Float] = [0, -0.0, .infinity, -.infinity, 88, 88.5, -87.3, -87.29, -87.31, 1e-30, -1e-30,
                              .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]
        edges += (0..<5000).map { _ in Float(rng.nextUnitDouble() * 200 - 100) }
        var fast = edges, reference = edges
        fast.withUnsafeMutableBufferPointer { expInPlace($0.baseAddress!, count: $0.count) }
        reference.withUnsafeMutableBufferPointer { expInPlaceReference($0.baseAddress!, count: $0.count) }
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "exp, \(variant)")

        for count in [1, 7, 16, 31, 32, 33, 100, 512, 515] {
            for masked in [false, true] {
                var row = randomFloats(count, scale: 20, rng: &rng)
                if count > 5 { row[3] = -.infinity }
                let allowed = (0..<count).map { ($0 * 7 + count) % 4 != 0 }
                var slow = row
                allowed.withUnsafeBufferPointer { a in
                    let mask = masked ? a.baseAddress! : nil
                    row.withUnsafeMutableBufferPointer { scaledSoftmaxInPlace($0.baseAddress!, count: count, scale: 0.125, allowed: mask) }
                    slow.withUnsafeMutableBufferPointer { scaledSoftmaxReference($0.baseAddress!, count: count, scale: 0.125, allowed: mask) }
                }
                #expect(row.map(\.bitPattern) == slow.map(\.bitPattern), "softmax \(count) masked \(masked), \(variant)")
            }
            var gate = randomFloats(count, scale: 40, rng: &rng)
            let up = randomFloats(count, scale: 2, rng: &rng)
            var slow = gate
            up.withUnsafeBufferPointer { u in
                gate.withUnsafeMutableBufferPointer { fastSwiGLU(gate: $0.baseAddress!, up: u.baseAddress!, count: count) }
                slow.withUnsafeMutableBufferPointer { fastSwiGLUReference(gate: $0.baseAddress!, up: u.baseAddress!, count: count) }
            }
            #expect(gate.map(\.bitPattern) == slow.map(\.bitPattern), "SwiGLU \(count), \(variant)")
        }
    }
}
