import Foundation
import Kernels
import TestSupport
import Testing

@Suite struct SelectionAndConversionTests {
    @Test func topKMatchesSortWithLowerIndexOnTies() {
        var rng = SplitMix64(seed: 9)
        for count in [1, 5, 64, 1000] {
            // Few distinct values so ties are common.
            let values = (0..<count).map { _ in Float(Int(rng.next() % 7)) }
            for k in [1, 3, 16, count + 2] {
                let fast = values.withUnsafeBufferPointer { topK($0.baseAddress!, count: count, k: k) }
                #expect(fast == topKReference(values, k: k), "count \(count) k \(k)")
            }
        }
        let withNaN: [Float] = [.nan, 1, .nan, 2]
        #expect(withNaN.withUnsafeBufferPointer { topK($0.baseAddress!, count: 4, k: 4) }.map(\.index) == [3, 1])
    }

    @Test func bfloat16Widening() {
        #expect(floatFromBFloat16(0x3F80) == 1)
        #expect(floatFromBFloat16(0xC000) == -2)
        #expect(floatFromBFloat16(0x7F80) == .infinity)
        let bits: [UInt16] = [0x3F80, 0x4049, 0x0000, 0x8000, 0xFF80]
        var out = [Float](repeating: 0, count: bits.count)
        bits.withUnsafeBufferPointer { b in out.withUnsafeMutableBufferPointer { widenBFloat16(b.baseAddress!, into: $0.baseAddress!, count: bits.count) } }
        #expect(out.map(\.bitPattern) == bits.map { UInt32($0) << 16 })
    }

    @Test func float16WideningMatchesSwiftFloat16() {
        // Every one of the 65536 bit patterns, against the platform's Float16 conversion.
        for raw in 0...UInt16.max {
            let ours = floatFromFloat16(raw)
            let theirs = Float(Float16(bitPattern: raw))
            if theirs.isNaN { #expect(ours.isNaN); continue }
            #expect(ours.bitPattern == theirs.bitPattern, "pattern \(raw)")
        }
    }

    @Test func splitMix64IsSeededAndUniform() {
        var a = SplitMix64(seed: 1234), b = SplitMix64(seed: 1234), c = SplitMix64(seed: 1235)
        let seqA = (0..<5).map { _ in a.next() }
        #expect(seqA == (0..<5).map { _ in b.next() })
        #expect(seqA != (0..<5).map { _ in c.next() })
        // Known first output for seed 0 (the published SplitMix64 test vector).
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        var rng = SplitMix64(seed: 77)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = rng.nextOpenUnitDouble()
            #expect(u > 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
    }

    @Test func coreChoiceFromCPUFlags() {
        let xeon = OpenBLASCoreChoice.cpuFlags(fromCPUInfo: "processor : 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl\n")
        #expect(OpenBLASCoreChoice.preferredCore(cpuFlags: xeon) == "SkylakeX")
        #expect(OpenBLASCoreChoice.preferredCore(cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(OpenBLASCoreChoice.preferredCore(cpuFlags: ["sse2"]) == nil)
    }

    @Test func testsRunUnderTheChosenCore() {
        // `make test` exports the core the launcher would choose; OpenBLAS must have honoured it.
        if let wanted = ProcessInfoEnvironment.value("OPENBLAS_CORETYPE"), !wanted.isEmpty {
            #expect(BLASRuntime.coreName.lowercased() == wanted.lowercased())
        }
    }
}

@Suite struct CoreChoiceScriptTests {
    @Test func shellScriptAgreesWithSwift() throws {
        let printed = try ChildProcess.run(packageRoot().appendingPathComponent("scripts/openblas-core"), []).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed == (OpenBLASCoreChoice.preferredCoreForThisMachine() ?? ""))
    }
}
