import Foundation
@testable import Tokenization

/// A small valid tokenizer.json built in code (the 256 byte symbols, a few merges, the Qwen2
/// split pattern), which tests then break one field at a time.
enum MinimalTokenizerJSON {
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    static func object(addedTokens: [(String, Bool)] = [("<|endoftext|>", true)]) -> [String: Any] {
        var vocab: [String: Any] = [:]
        for byte in 0..<256 { vocab[String(ByteLevelAlphabet.scalars[byte])] = byte }
        vocab["he"] = 256
        vocab["ll"] = 257
        vocab["hell"] = 258
        vocab["Ġw"] = 259
        let added = addedTokens.enumerated().map { index, token -> [String: Any] in
            ["id": 300 + index, "content": token.0, "special": token.1, "single_word": false,
             "lstrip": false, "rstrip": false, "normalized": !token.1]
        }
        return [
            "version": "1.0",
            "truncation": NSNull(), "padding": NSNull(),
            "added_tokens": added,
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": qwen2Pattern], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false],
            ]],
            "post_processor": NSNull(),
            "decoder": ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false],
            "model": ["type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "fuse_unk": false,
                      "byte_fallback": false, "ignore_merges": false, "vocab": vocab,
                      "merges": [["h", "e"], "l l", ["he", "ll"], ["Ġ", "w"]]],
        ]
    }

    static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    }

    /// Loads the minimal tokenizer after `change` edits its JSON object.
    static func load(_ change: (inout [String: Any]) -> Void = { _ in }) throws(TokenizerError) -> Tokenizer {
        var json = object()
        change(&json)
        return try Tokenizer.load(data: data(json), name: "test.json")
    }

    /// Edits the `model` member.
    static func model(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { json in
            var model = json["model"] as! [String: Any]
            change(&model)
            json["model"] = model
        }
    }
}
