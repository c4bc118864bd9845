import Foundation
import Modeling
import TestSupport
import Testing

/// The GGUF reader on a file written by the `gguf` package (every ggml type dllm-play reads), and
/// on corruptions of it: every one gives a typed error, never a crash or a misread.
@Suite struct GGUFTests {
    static let fixture = fixturesDirectory().appendingPathComponent("gguf/types.gguf")

    struct Golden: Decodable {
        var type: String
        var shape: [Int]
        var values: [Float]
    }

    static func golden() throws -> [String: Golden] {
        try JSONDecoder().decode([String: Golden].self,
                                 from: Data(contentsOf: fixturesDirectory().appendingPathComponent("gguf/types.golden.json")))
    }

    @Test("reads the header, metadata and tensor table of a gguf-package file")
    func readsHeader() throws {
        let file = try GGUFFile(path: Self.fixture.path)
        #expect(file.version == 3 && file.alignment == 32 && file.dataOffset % 32 == 0)
        #expect(file["general.architecture"]?.string == "llada")
        #expect(file["dllm_play.fixture.rows"] == .unsigned(2, typeName: "uint32"))
        #expect(file["dllm_play.fixture.note"]?.array?.compactMap(\.string) == ["every", "ggml", "type"])
        #expect(Set(file.tensors.map(\.type)) == Set(GGMLType.allCases))
        #expect(file.tensors.allSatisfy { $0.shape == [2, 256] })
    }

    @Test("every type dequantizes block by block to the gguf package's values", arguments: GGMLType.allCases.map(\.description))
    func dequantizesLikeTheReference(typeName: String) throws {
        let file = try GGUFFile(path: Self.fixture.path)
        let name = "tensor.\(typeName.lowercased())"
        let tensor = try #require(file.tensor(name))
        let expected = try #require(try Self.golden()[name])
        #expect(tensor.type.description == expected.type && tensor.shape == expected.shape)
        // Per block, so a failure names the block; float32 arithmetic in a different order may
        // differ in the last bit, nothing more.
        let values = tensor.floats()
        let block = tensor.type.blockSize == 1 ? 32 : tensor.type.blockSize
        for start in stride(from: 0, to: values.count, by: block) {
            let range = start..<min(start + block, values.count)
            if let problem = mismatch(Array(values[range]), Array(expected.values[range]), rtol: 1e-6, atol: 1e-6) {
                Issue.record("\(name) block \(start / block): \(problem)")
                break
            }
        }
    }

    /// Writes `bytes` to a temporary .gguf file and reads it.
    private func read(_ bytes: [UInt8]) throws -> GGUFFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        return try GGUFFile(path: url.path)
    }

    @Test("every truncation into the header or a tensor is refused with an error that names the file")
    func truncations() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        let file = try GGUFFile(path: Self.fixture.path)
        // Only the last tensor's alignment padding may be cut: its data is whole without it.
        let dataEnd = file.dataOffset + file.tensors.map { $0.offset + $0.byteCount }.max()!
        #expect(try read(Array(bytes[..<dataEnd])).tensors.count == file.tensors.count)
        for length in stride(from: 0, to: dataEnd, by: 37) {
            do {
                _ = try read(Array(bytes[..<length]))
                Issue.record("a file cut to \(length) of \(bytes.count) bytes was accepted")
            } catch let error as GGUFError {
                #expect(error.description.contains(".gguf"))
            }
        }
    }

    @Test("a lying header is refused: magic, version, counts, offsets, types, alignment")
    func lyingHeaders() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        func patched(_ offset: Int, _ value: UInt64, width: Int) -> [UInt8] {
            var copy = bytes
            for i in 0..<width { copy[offset + i] = UInt8((value >> (8 * UInt64(i))) & 0xFF) }
            return copy
        }
        func expectError(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try read(bytes)
                Issue.record("accepted; expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".contains(fragment), "\(error)", sourceLocation: sourceLocation)
            }
        }
        expectError(patched(0, 0x46_55_47_48, width: 4), "not a GGUF file")
        expectError(patched(4, 1, width: 4), "GGUF version 1 is not supported")
        expectError(patched(8, UInt64.max, width: 8), "tensor count")
        expectError(patched(16, 1 << 40, width: 8), "metadata count")
        // The first tensor's offset field: find it from the reader, then lie by one byte.
        let file = try read(bytes)
        let first = try #require(file.tensors.first)
        #expect(first.offset == 0)
        var shifted = bytes
        // Tensor infos end with (type u32, offset u64); the first tensor's offset field sits right
        // after its type field. Locate it by searching for its name.
        let name = Array(first.name.utf8)
        let at = try #require(findSubsequence(name, in: bytes)) + name.count
        let offsetField = at + 4 + 8 * first.shape.count + 4
        shifted[offsetField] = 1
        expectError(shifted, "alignment")
        var gap = bytes
        gap[offsetField] = 32
        expectError(gap, "leaves a gap")
        // The second tensor claiming offset 0 overlaps the first.
        let second = Array(file.tensors[1].name.utf8)
        let secondOffsetField = try #require(findSubsequence(second, in: bytes)) + second.count + 4 + 8 * 2 + 4
        var overlap = bytes
        for i in 0..<8 { overlap[secondOffsetField + i] = 0 }
        expectError(overlap, "overlaps")
        var badType = bytes
        badType[offsetField - 4] = 99
        expectError(badType, "ggml type 99")
        var zeroDimension = bytes
        for i in 0..<8 { zeroDimension[at + 4 + i] = 0 }
        expectError(zeroDimension, "dimension 0 of tensor.f32: 0")
        expectError(bytes + [UInt8](repeating: 0, count: 64), "belong to no tensor")
    }

    @Test("single-byte corruptions anywhere in the header never crash")
    func byteFlips() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        let header = try GGUFFile(path: Self.fixture.path).dataOffset
        var rng = SystemRandomNumberGenerator()
        for position in 0..<header {
            var copy = bytes
            copy[position] ^= UInt8.random(in: 1...255, using: &rng)
            do {
                let file = try read(copy)
                for tensor in file.tensors { _ = tensor.floats() }
            } catch is GGUFError {
            }
        }
    }
}

/// The index of the first occurrence of `needle` in `haystack`.
private func findSubsequence(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard needle.count <= haystack.count else { return nil }
    return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
}
