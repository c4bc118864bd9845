import Foundation
import Modeling
import TestSupport
import Testing

/// Model folders that parse but are wrong: tensors that do not tile the data section, config
/// values out of range, a config whose family fields disagree.
@Suite struct HostileModelFolderTests {
    static let twoTensors = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#

    @Test("tensors must cover the data section exactly: a gap, an overlap or trailing bytes is refused")
    func tiling() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("t.safetensors")
        let data = [UInt8](repeating: 0, count: 12)
        _ = try SafetensorsFile(path: writeSafetensors(url, header: Self.twoTensors, data: data).path)
        let cases: [(String, [UInt8], String)] = [
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data, "a gap of 4 bytes"),
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data, "an overlap of 4 bytes"),
            (Self.twoTensors, data + [0, 0], "cover 12 bytes of a 14-byte data section"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, [UInt8](repeating: 0, count: 8), "a gap of 4 bytes"),
        ]
        for (header, bytes, expected) in cases {
            #expect {
                _ = try SafetensorsFile(path: writeSafetensors(url, header: header, data: bytes).path)
            } throws: { error in
                "\(error)".contains(expected) && "\(error)".contains(url.path)
            }
        }
    }

    @Test("a header length one byte short (or long) is refused, not loaded misaligned")
    func headerLengthOffByOne() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("t.safetensors")
        let header = Self.twoTensors + "  "  // padding, as writers align the data section
        for delta in [-1, -2, 1] {
            let declared = UInt64(header.utf8.count + delta)
            #expect(throws: ModelError.self, "header length \(delta)") {
                _ = try SafetensorsFile(path: writeSafetensors(url, header: header, data: [UInt8](repeating: 0, count: 12),
                                                               declaredLength: declared).path)
            }
        }
    }

    /// The tiny LLaDA fixture's config with `key` set to `value` (JSON text).
    static func config(_ key: String, _ value: String) throws -> Data {
        let url = modelFixtures.appendingPathComponent("llada-tiny/config.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        object[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("config values out of range are refused with the key and the range",
          arguments: [("vocab_size", "-5", "vocab_size"), ("vocab_size", "0", "vocab_size"), ("rms_norm_eps", "1e30", "rms_norm_eps"),
                      ("embedding_size", "-1", "embedding_size"), ("max_sequence_length", "9223372036854775807", "max sequence length"),
                      ("mask_token_id", "1000000000", "mask_token_id"), ("rope_theta", "0", "rope_theta"),
                      ("d_model", "-320", "hidden size"), ("n_layers", "100000", "layer count"), ("eos_token_id", "-1", "eos_token_id")])
    func configRanges(key: String, value: String, named: String) throws {
        #expect(throws: Never.self) { _ = try ModelConfig.parse(Self.config("n_layers", "6")) }
        #expect {
            _ = try ModelConfig.parse(Self.config(key, value), path: "m/config.json")
        } throws: { error in
            "\(error)".hasPrefix("m/config.json: ") && "\(error)".contains(named)
        }
    }

    @Test("model_type and architectures must name the same family")
    func familyDisagreement() throws {
        var data = try Self.config("architectures", #"["DreamModel"]"#)
        #expect { _ = try ModelConfig.parse(data) } throws: { "\($0)".contains("disagrees") }
        data = try Self.config("architectures", #"["LLaDAModelLM", "DreamModel"]"#)
        #expect { _ = try ModelConfig.parse(data) } throws: { "\($0)".contains("disagrees") }
        data = try Self.config("architectures", #"["SomethingElse"]"#)
        #expect(throws: Never.self) { _ = try ModelConfig.parse(data) }
    }
}
