import Foundation

/// The special ids a decoder needs, gathered from config.json, generation_config.json and the
/// `added_tokens` of tokenizer.json (a small lookup: the full tokenizer lives in Tokenization).
public struct SpecialTokens: Sendable, Equatable {
    public var mask: Int
    public var endOfText: Int
    public var endOfTurn: Int?

    /// Mask: config `mask_token_id`, else tokenizer `<|mdm_mask|>` / `<|mask|>`.
    /// End of text: tokenizer `<|endoftext|>`, else config / generation_config `eos_token_id`, else `pad_token_id`.
    /// End of turn: tokenizer `<|eot_id|>` (LLaDA) or `<|im_end|>` (Dream).
    public static func read(directory: URL, config: ModelConfig) throws -> SpecialTokens {
        let added = try addedTokens(directory.appendingPathComponent("tokenizer.json"))
        let generation = try generationEOS(directory.appendingPathComponent("generation_config.json"))
        guard let mask = config.maskTokenID ?? added["<|mdm_mask|>"] ?? added["<|mask|>"] else {
            throw ModelError.missingSpecialToken(name: "mask", searched: [
                "config.json mask_token_id", "tokenizer.json <|mdm_mask|>", "tokenizer.json <|mask|>"])
        }
        guard let eos = added["<|endoftext|>"] ?? config.eosTokenID ?? generation ?? config.padTokenID else {
            throw ModelError.missingSpecialToken(name: "end-of-text", searched: [
                "tokenizer.json <|endoftext|>", "config.json eos_token_id", "generation_config.json eos_token_id",
                "config.json pad_token_id"])
        }
        let turn = config.family == .llada ? added["<|eot_id|>"] ?? added["<|im_end|>"] : added["<|im_end|>"] ?? added["<|eot_id|>"]
        return SpecialTokens(mask: mask, endOfText: eos, endOfTurn: turn)
    }

    /// content → id of tokenizer.json's `added_tokens`; empty when the file is absent.
    static func addedTokens(_ url: URL) throws -> [String: Int] {
        struct File: Decodable {
            struct Token: Decodable { var id: Int; var content: String }
            var addedTokens: [Token]?
            enum CodingKeys: String, CodingKey { case addedTokens = "added_tokens" }
        }
        guard let data = try? Data(contentsOf: url) else { return [:] }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            return Dictionary((file.addedTokens ?? []).map { ($0.content, $0.id) }) { first, _ in first }
        } catch {
            throw ModelError.malformedJSON(path: url.path, reason: "\(error)")
        }
    }

    /// The first `eos_token_id` of generation_config.json (an integer or a list), if any.
    static func generationEOS(_ url: URL) throws -> Int? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try generationEOS(data: data, path: url.path)
    }

    /// `generationEOS` on the text of a generation_config.json.
    public static func generationEOS(data: Data, path: String) throws -> Int? {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ModelError.malformedJSON(path: path, reason: error.localizedDescription)
        }
        let value = (object as? [String: Any])?["eos_token_id"]
        if let id = value as? Int { return id }
        return (value as? [Any])?.first as? Int
    }
}
