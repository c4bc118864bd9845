import Foundation
import TestSupport
@testable import Tokenization

/// The committed tokenizers and golden data of `tools/reference/tokenizer_golden.py`.
enum TokenizerFixtures {
    static let kinds = ["qwen2-style", "llama3-style", "gpt2-style", "staged-style"]

    static var directory: URL { fixturesDirectory().appendingPathComponent("tokenization") }

    static func url(_ kind: String) -> URL { directory.appendingPathComponent("\(kind).tokenizer.json") }

    static func tokenizer(_ kind: String) throws -> Tokenizer { try Tokenizer.load(from: url(kind)) }

    static func lines() throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(contentsOf: directory.appendingPathComponent("golden-lines.json")))
    }

    /// Expected ids per tokenizer kind, one sequence per line.
    static func expectedIDs() throws -> [String: [[Int]]] {
        let raw = try JSONDecoder().decode([String: [String]].self,
                                           from: Data(contentsOf: directory.appendingPathComponent("golden-ids.json")))
        return raw.mapValues { sequences in
            sequences.map { $0.split(separator: " ").compactMap { Int($0) } }
        }
    }

    /// A temporary file holding `text`, for malformed-file tests.
    static func temporaryFile(_ text: String, name: String = "tokenizer.json") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
