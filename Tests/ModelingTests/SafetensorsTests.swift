import Foundation
import Modeling
import TestSupport
import Testing

/// A fresh temporary folder per test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("modeling-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes a safetensors file: 8-byte length (`declaredLength` or the real one), header, data.
@discardableResult
func writeSafetensors(_ url: URL, header: String, data: [UInt8], declaredLength: UInt64? = nil) throws -> URL {
    var bytes = [UInt8]()
    let headerBytes = Array(header.utf8)
    withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { bytes += $0 }
    bytes += headerBytes
    bytes += data
    try Data(bytes).write(to: url)
    return url
}

@Suite struct SafetensorsTests {
    @Test func readsTensorsOfEachDType() throws {
        let folder = try temporaryFolder()
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"BF16","shape":[1,2],"data_offsets":[8,12]},"c":{"dtype":"F16","shape":[],"data_offsets":[12,14]}}"#
        var data = [UInt8]()
        for f in [Float(1.5), -2] { withUnsafeBytes(of: f.bitPattern.littleEndian) { data += $0 } }
        data += [0x80, 0x3F, 0x00, 0x40]  // bf16 1.0, 2.0
        data += [0x00, 0x3C]              // f16 1.0
        let file = try SafetensorsFile(path: writeSafetensors(folder.appendingPathComponent("t.safetensors"), header: header, data: data).path)
        #expect(file.tensors.count == 3)
        let a = try #require(file.tensors["a"])
        #expect(a.dtype == .f32 && a.shape == [2] && a.byteCount == 8)
        #expect(a.bytes.loadUnaligned(fromByteOffset: 4, as: Float.self) == -2)
        #expect(file.tensors["b"]?.shape == [1, 2])
        #expect(file.tensors["c"]?.shape == [] && file.tensors["c"]?.elementCount == 1)
    }

    private func expectError(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil,
                             _ matches: (ModelError) -> Bool) throws {
        let folder = try temporaryFolder()
        let url = try writeSafetensors(folder.appendingPathComponent("bad.safetensors"), header: header, data: data,
                                       declaredLength: declaredLength)
        do {
            _ = try SafetensorsFile(path: url.path)
            Issue.record("expected an error for header \(header)")
        } catch let error as ModelError {
            #expect(matches(error), "\(error)")
            #expect(error.description.contains(url.path))
        }
    }

    @Test func headerLengthBeyondFile() throws {
        try expectError("{}", declaredLength: 1 << 40) { if case .headerBeyondFile(_, 1 << 40, _) = $0 { true } else { false } }
    }

    @Test func malformedJSON() throws {
        try expectError(#"{"a": {"dtype": "F32""#) { if case .malformedHeader = $0 { true } else { false } }
        try expectError(#"[1, 2]"#) { if case .malformedHeader = $0 { true } else { false } }
        try expectError(#"{"a": {"dtype": "F32", "shape": [1]}}"#) { if case .malformedHeader = $0 { true } else { false } }
    }

    @Test func unknownDType() throws {
        try expectError(#"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)) {
            if case .unknownDType(_, "a", "I64") = $0 { true } else { false }
        }
    }

    @Test func offsetsOutOfBounds() throws {
        try expectError(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8)) {
            if case .offsetsOutOfBounds(_, "a", 8, 4, 8) = $0 { true } else { false }
        }
        try expectError(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[-4,0]}}"#) {
            if case .offsetsOutOfBounds = $0 { true } else { false }
        }
    }

    @Test func shapeTimesDTypeMustEqualByteLength() throws {
        try expectError(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)) {
            if case .byteLengthMismatch(_, "a", [3], "F32", 12, 8) = $0 { true } else { false }
        }
    }

    @Test func truncatedFile() throws {
        try expectError(#"{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 5)) {
            if case .truncatedFile(_, "a", _, _) = $0 { true } else { false }
        }
    }

    @Test func fileTooSmall() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("tiny.safetensors")
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: ModelError.fileTooSmall(path: url.path, size: 3)) { try SafetensorsFile(path: url.path) }
    }

    @Test func indexNamingAMissingShard() throws {
        let folder = try temporaryFolder()
        try copyFixture("llada-tiny", to: folder, files: ["config.json"])
        let index = #"{"weight_map": {"model.transformer.wte.weight": "model-00001-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        #expect(throws: ModelError.missingShard(indexPath: folder.appendingPathComponent("model.safetensors.index.json").path,
                                                shard: "model-00001-of-00002.safetensors",
                                                tensor: "model.transformer.wte.weight")) {
            try Checkpoint(directory: folder)
        }
    }
}

/// Copies files of a committed fixture folder into `folder`.
func copyFixture(_ name: String, to folder: URL, files: [String]) throws {
    for file in files {
        try FileManager.default.copyItem(at: modelFixtures.appendingPathComponent(name).appendingPathComponent(file),
                                         to: folder.appendingPathComponent(file))
    }
}
