import Foundation
import Testing
import TestSupport

/// Model folders that load but are wrong are refused by `model-info` and `run` alike: one line
/// naming the file and what was expected, a non-zero status, never a decode of garbage.
@Suite("hostile model folders")
struct HostileModelFolderEndToEndTests {
    static let model = Fixtures.repositoryRoot.appendingPathComponent("Models/llada-mini")

    /// A copy of llada-mini (files linked, not copied) with some files replaced.
    static func folder(replacing files: [String: Data], removing removed: Set<String> = []) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
            where !removed.contains(name) {
            let target = folder.appendingPathComponent(name)
            if let data = files[name] {
                try data.write(to: target)
            } else {
                try FileManager.default.createSymbolicLink(at: target, withDestinationURL: model.appendingPathComponent(name))
            }
        }
        return folder
    }

    static func json(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent(name))) as! [String: Any]
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func cases() throws -> [(String, URL, String)] {
        var safetensors = try Data(contentsOf: model.appendingPathComponent("model.safetensors"))
        let length = safetensors.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        withUnsafeBytes(of: (length - 1).littleEndian) { safetensors.replaceSubrange(0..<8, with: $0) }
        return [
            ("header length one byte short", try folder(replacing: ["model.safetensors": safetensors]), "is the header length right?"),
            ("mask_token_id 1e9", try folder(replacing: ["config.json": json("config.json") { $0["mask_token_id"] = 1_000_000_000 }]),
             "mask_token_id 1000000000 is outside the vocabulary"),
            ("rms_norm_eps 1e30", try folder(replacing: ["config.json": json("config.json") { $0["rms_norm_eps"] = 1e30 }]), "rms_norm_eps"),
            ("family disagreement", try folder(replacing: ["config.json": json("config.json") { $0["architectures"] = ["DreamModel"] }]),
             "disagrees with architectures"),
            ("no tokenizer", try folder(replacing: [:], removing: ["tokenizer.json"]), "tokenizer.json"),
            ("Unigram tokenizer", try folder(replacing: ["tokenizer.json": json("tokenizer.json") { tokenizer in
                var model = tokenizer["model"] as! [String: Any]
                model["type"] = "Unigram"
                tokenizer["model"] = model
            }]), "Unigram"),
            ("unknown merge", try folder(replacing: ["tokenizer.json": json("tokenizer.json") { tokenizer in
                var model = tokenizer["model"] as! [String: Any]
                model["merges"] = (model["merges"] as! [Any]) + [["zzq", "qqz"]]
                tokenizer["model"] = model
            }]), "not in the vocabulary"),
            ("no mask token", try folder(replacing: ["tokenizer.json": json("tokenizer.json") { tokenizer in
                tokenizer["added_tokens"] = (tokenizer["added_tokens"] as! [[String: Any]]).filter { $0["content"] as? String != "<|mdm_mask|>" }
                var model = tokenizer["model"] as! [String: Any]
                model["vocab"] = (model["vocab"] as! [String: Any]).filter { $0.key != "<|mdm_mask|>" }
                tokenizer["model"] = model
            }]), "mask"),
        ]
    }

    @Test("model-info and run refuse a folder that loads but is wrong, in one line")
    func refused() throws {
        guard let binary = EndToEndTests.binary else { throw HostileInputTests.BinaryMissing() }
        for (name, folder, expected) in try Self.cases() {
            defer { try? FileManager.default.removeItem(at: folder) }
            for arguments in [["model-info", folder.path, "--length", "16"],
                              ["run", "--model", folder.path, "--gen-length", "32", "--prompt", "What is 2 + 3?"]] {
                let result = try ChildProcess.run(URL(fileURLWithPath: binary), arguments, input: Data())
                #expect(result.status != 0, "\(name) \(arguments[0]): accepted\n\(result.standardOutput)")
                #expect(result.standardError.split(separator: "\n").count == 1, "\(name) \(arguments[0]): \(result.standardError)")
                #expect(result.standardError.contains(expected), "\(name) \(arguments[0]): \(result.standardError)")
                #expect(result.standardError.contains(folder.path) || result.standardError.contains(folder.lastPathComponent),
                        "\(name): the error must name the folder: \(result.standardError)")
            }
        }
    }
}
