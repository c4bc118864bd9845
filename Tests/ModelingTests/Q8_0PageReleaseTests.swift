import Foundation
@testable import Kernels
@testable import Modeling
import Testing

/// After a Q8_0 weight is repacked its mapped pages are released (MADV_DONTNEED), which is safe
/// only on a file-backed map: there the pages read again from the file, while on anonymous memory
/// (random models, tests) the same call would replace the weights with zeros.
@Suite struct Q8_0PageReleaseTests {
    static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// [rows, columns / 32] Q8_0 blocks: f16 scale (powers of two from 2⁻⁸ to 1) then 32 int8.
    static func blocks(rows: Int, columns: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        for b in 0..<rows * columns / 32 {
            let scale = UInt16(0x3C00 - (b % 9) * 0x0400)
            bytes += [UInt8(scale & 0xFF), UInt8(scale >> 8)]
            for _ in 0..<32 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 56))
            }
        }
        return bytes
    }

    static func anonymousMap(_ bytes: [UInt8]) throws -> MappedFile {
        try MappedFile(anonymousSize: bytes.count, name: "<q8 test>") { base in
            bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
    }

    static func slice(_ file: MappedFile, rows: Int, columns: Int) -> TensorSlice {
        TensorSlice(name: "w", dtype: .q8_0, shape: [rows, columns], bytes: file.bytes!, byteCount: file.size, file: file)
    }

    static func contents(_ file: MappedFile) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: file.bytes!, count: file.size))
    }

    @Test func anonymousMapKeepsItsBytes() throws {
        let bytes = (0..<4 * Self.page).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        let file = try Self.anonymousMap(bytes)
        #expect(!file.isFileBacked)
        #expect(!file.releaseResidentPages(from: file.bytes!, byteCount: file.size))
        #expect(Self.contents(file) == bytes)
    }

    @Test func fileBackedMapReleasesWholePagesAndRereadsThem() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("q8-pages-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<5 * Self.page + 123).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        try Data(bytes).write(to: url)
        let file = try MappedFile(path: url.path)
        #expect(file.isFileBacked)
        #expect(Self.contents(file) == bytes) // every page resident
        // Less than one whole page inside the range: nothing to release.
        #expect(!file.releaseResidentPages(from: file.bytes! + 10, byteCount: Self.page))
        // Outside the map: refused.
        #expect(!file.releaseResidentPages(from: file.bytes! + Self.page, byteCount: file.size))
        #expect(file.releaseResidentPages(from: file.bytes! + 10, byteCount: file.size - 10))
        #expect(Self.contents(file) == bytes)
    }

    /// Packing an in-memory weight must leave it intact; packing the same weight from a file
    /// releases its pages, and the bytes read back and the packed copy are the same as in memory.
    @Test func packingKeepsInMemoryWeightsAndRereadsFileBackedOnes() throws {
        let (rows, columns) = (48, 2048)
        let bytes = Self.blocks(rows: rows, columns: columns)
        #expect(bytes.count > 8 * Self.page)
        let anonymous = try Self.anonymousMap(bytes)
        let inMemory = Self.slice(anonymous, rows: rows, columns: columns)
        #expect(!inMemory.isFileBacked)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("q8-pack-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        let mapped = try MappedFile(path: url.path)
        let onFile = Self.slice(mapped, rows: rows, columns: columns)
        #expect(onFile.isFileBacked)

        let scratch = WidenScratch(capacity: 1)
        let packedInMemory = scratch.packed(q8_0: WeightMatrix(inMemory))
        #expect(Self.contents(anonymous) == bytes)
        #expect(!inMemory.releaseResidentPages())
        #expect(Self.contents(anonymous) == bytes)
        let packedOnFile = scratch.packed(q8_0: WeightMatrix(onFile))
        #expect(Self.contents(mapped) == bytes)
        #expect(onFile.releaseResidentPages())
        #expect(Self.contents(mapped) == bytes)
        guard let packedInMemory, let packedOnFile else { return } // no AVX512-VNNI: nothing is packed
        #expect(scratch.packed(q8_0: WeightMatrix(onFile), build: false) === packedOnFile)
        let x = (0..<5 * columns).map { Float(($0 * 37) % 19) / 9 - 1 }
        func multiply(_ packed: Q8_0PackedWeights) -> [Float] {
            var out = [Float](repeating: 0, count: 5 * rows)
            x.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { o in
                    scratch.q8_0.multiply(ConstMatrixView(xs.baseAddress!, rows: 5, columns: columns), packed: packed,
                                          into: MatrixView(o.baseAddress!, rows: 5, columns: rows), accumulate: false)
                }
            }
            return out
        }
        let expected = multiply(packedInMemory)
        #expect(expected.contains { $0 != 0 })
        #expect(multiply(packedOnFile) == expected)
    }

    /// A GGUF Q8_0 model on the packed kernel: its map's pages dropped after a forward read again
    /// from the file, and the logits (same model again, and a fresh load) are bit-identical.
    @Test func fileBackedGGUFModelGivesIdenticalLogitsAfterPagesAreDropped() throws {
        let native = try GEMMChoice.choose(cpuFlags: ["avx512_bf16"], override: nil, nativeBF16: true)
        let config = GGUFWriterTests.families[0]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("q8-drop-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try RandomGGUF.write(path: url.path, config: config, types: .all(.q8_0), seed: 11, std: 0.1)
        let onDisk = [UInt8](try Data(contentsOf: url))
        let tokens = (0..<24).map { ($0 * 31 + 7) % min(config.vocabularySize, 90) }
        let request = ForwardRequest(tokens: tokens, positions: Array(0..<tokens.count))
        let model = try TransformerModel.load(gguf: url, gemm: native)
        let first = try model.forward(request).logits
        let file = try #require(model.checkpoint.tensors.values.first?.file)
        #expect(file.isFileBacked)
        #expect(file.releaseResidentPages(from: file.bytes!, byteCount: file.size))
        #expect(Self.contents(file) == onDisk)
        #expect(file.releaseResidentPages(from: file.bytes!, byteCount: file.size))
        #expect(try model.forward(request).logits == first)
        // One row runs on the row-major kernel, which reads the released pages again.
        let single = ForwardRequest(tokens: [tokens[0]], positions: [0])
        #expect(try model.forward(single).logits == (try TransformerModel.load(gguf: url, gemm: native).forward(single).logits))
        #expect(try TransformerModel.load(gguf: url, gemm: native).forward(request).logits == first)
    }
}
