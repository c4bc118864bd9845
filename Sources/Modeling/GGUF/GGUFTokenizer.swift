import Foundation
import Tokenization

/// The tokenizer of a GGUF file, from its `tokenizer.ggml.*` keys as convert_hf_to_gguf.py writes
/// a byte-level BPE (`model` "gpt2"): `tokens` (one per id), `token_type` (1 normal, 3 control,
/// 4 user-defined, 5 unused padding), `merges` ("a b", by rank) and `pre`, the name llama.cpp
/// gives the pre-tokenizer, which fixes the split pattern and normalizer.
///
/// The keys are turned back into the tokenizer.json they came from and read by the same code as
/// an HF folder's, so ids match the model's tokenizer.json. A tokenizer whose pre-tokenizer name
/// is not one whose split pattern we reproduce exactly is refused by name rather than approximated.
public enum GGUFTokenizer {
    /// llama.cpp's pre-tokenizer names that dllm-play reproduces: (split regex as in
    /// tokenizer.json, NFC normalizer).
    static let preTokenizers: [String: (pattern: String, nfc: Bool)] = [
        "llama-bpe": (llama3Pattern, false),
        "llama3": (llama3Pattern, false),
        "qwen2": (qwen2Pattern, true),
    ]
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Whether the file carries a tokenizer at all (`tokenizer.ggml.tokens`).
    public static func isPresent(in file: GGUFFile) -> Bool { file["tokenizer.ggml.tokens"] != nil }

    public static func load(_ file: GGUFFile) throws -> Tokenizer {
        let path = file.file.path
        let meta = GGUFMetadata(file: file)
        func refuse(_ reason: String) -> GGUFError { .unsupportedTokenizer(path: path, reason: reason) }
        guard let tokens = try meta.optionalStrings("tokenizer.ggml.tokens") else {
            throw refuse("the file has no tokenizer.ggml.tokens (hint: convert the model together with its tokenizer, or run its HF folder)")
        }
        let model = try meta.optionalString("tokenizer.ggml.model") ?? "(absent)"
        guard model == "gpt2" else {
            throw refuse("tokenizer.ggml.model \"\(model)\" is not a byte-level BPE (\"gpt2\"), the only kind dllm-play reads")
        }
        let pre = try meta.optionalString("tokenizer.ggml.pre") ?? "(absent)"
        guard let split = preTokenizers[pre] else {
            throw refuse("tokenizer.ggml.pre \"\(pre)\" names a pre-tokenizer whose split pattern dllm-play does not reproduce "
                         + "(known: \(preTokenizers.keys.sorted().joined(separator: ", ")))")
        }
        guard let types = try meta.optionalIntegers("tokenizer.ggml.token_type"), types.count == tokens.count else {
            throw refuse("tokenizer.ggml.token_type is absent or not one type per token (\(tokens.count) tokens)")
        }
        let merges = try meta.optionalStrings("tokenizer.ggml.merges") ?? []

        var vocab: [String: Int] = [:]
        var added: [[String: Any]] = []
        for (id, (token, type)) in zip(tokens, types).enumerated() {
            switch type {
            case 1:
                guard vocab.updateValue(id, forKey: token) == nil else { throw refuse("token \(id) \(token.debugDescription) appears twice") }
            case 3, 4:
                added.append(["id": id, "content": token, "special": type == 3, "normalized": type == 4])
            case 5:
                continue  // padding rows of the embedding: no text maps to them
            default:
                throw refuse("token \(id) has token_type \(type) (expected 1 normal, 3 control, 4 user-defined or 5 unused)")
            }
        }
        let json: [String: Any] = [
            "version": "1.0",
            "added_tokens": added,
            "normalizer": split.nfc ? ["type": "NFC"] : NSNull(),
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": split.pattern], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false],
            ]],
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true],
            "model": ["type": "BPE", "vocab": vocab, "merges": merges, "byte_fallback": false, "ignore_merges": false],
        ]
        let data = try JSONSerialization.data(withJSONObject: json)
        return try Tokenizer.load(data: data, name: path)
    }
}
