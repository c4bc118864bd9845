import Foundation

/// An added token from `added_tokens`: matched in text before BPE.
struct AddedToken: Sendable, Equatable {
    let id: Int
    let content: String
    let special: Bool
    /// Matched in normalized text rather than raw text.
    let normalized: Bool
}

/// Everything read from one tokenizer.json, checked and ready to encode with.
struct TokenizerDefinition: Sendable {
    let file: String
    let normalizer: Normalizer
    let preTokenizer: PreTokenizer
    let model: BPEModel
    let addedTokens: [AddedToken]
    /// The vocabulary string of each id (nil for ids nothing names).
    let pieces: [String?]
    /// The bytes each id decodes to.
    let tokenBytes: [[UInt8]]
    /// Ids of the byte-fallback tokens `<0x00>`…`<0xFF>`, when `byte_fallback` is on.
    let fallbackByte: [Int: UInt8]
    let idsByPiece: [String: Int]

    /// Reads and checks tokenizer.json bytes; `file` names them in errors.
    static func read(_ data: Data, file: String) throws(TokenizerError) -> TokenizerDefinition {
        let root = try JSONNode.parse(data, file: file)
        _ = try root.object()
        let modelNode = try root.required("model", "the model object {\"type\": \"BPE\", \"vocab\": ..., \"merges\": ...}",
                                          hint: "is this a tokenizer.json saved by HF tokenizers?")
        let vocabulary = try BPEModelReader.read(modelNode)
        let normalizer = try ComponentReaders.normalizer(root.optional("normalizer"))
        let preTokenizer = try ComponentReaders.preTokenizer(root.optional("pre_tokenizer"), file: file)
        try ComponentReaders.decoder(root.optional("decoder"), file: file)
        try ComponentReaders.postProcessor(root.optional("post_processor"))
        let added = try readAddedTokens(root.optional("added_tokens"))

        var idsByPiece = vocabulary.vocab
        for token in added { idsByPiece[token.content] = token.id }
        let size = max(vocabulary.vocab.values.max() ?? -1, added.map(\.id).max() ?? -1) + 1
        var pieces = [String?](repeating: nil, count: size)
        var tokenBytes = [[UInt8]](repeating: [], count: size)
        for (piece, id) in vocabulary.vocab {
            pieces[id] = piece
            tokenBytes[id] = ByteLevelAlphabet.bytes(spelledBy: piece) ?? Array(piece.utf8)
        }
        for token in added {
            pieces[token.id] = token.content
            tokenBytes[token.id] = Array(token.content.utf8)
        }
        var fallbackByte: [Int: UInt8] = [:]
        if vocabulary.byteFallback {
            for byte in 0...255 {
                if let id = vocabulary.vocab[BPEModelReader.fallbackName(UInt8(byte))] { fallbackByte[id] = UInt8(byte) }
            }
        }
        return TokenizerDefinition(file: file, normalizer: normalizer, preTokenizer: preTokenizer,
                                   model: vocabulary.model, addedTokens: added, pieces: pieces,
                                   tokenBytes: tokenBytes, fallbackByte: fallbackByte, idsByPiece: idsByPiece)
    }

    private static func readAddedTokens(_ node: JSONNode?) throws(TokenizerError) -> [AddedToken] {
        guard let node else { return [] }
        var tokens: [AddedToken] = []
        for item in try node.array() {
            let hint = "each added token is {\"id\": n, \"content\": \"...\", \"special\": bool, ...}"
            let idNode = try item.required("id", "a token id", hint: hint)
            let id = try idNode.int()
            guard id >= 0, id < 10_000_000 else { throw idNode.mismatch("an id between 0 and 10,000,000") }
            let content = try item.required("content", "the token text", hint: hint).string()
            guard !content.isEmpty else {
                throw .malformed(file: item.file, place: item.place + ".content", expected: "a non-empty string",
                                 found: "an empty string", hint: hint)
            }
            for flag in ["single_word", "lstrip", "rstrip"] where try item.optional(flag)?.bool() == true {
                throw item.unsupported("\(flag) true (token \(content))", hint: "the supported models' added tokens match exactly")
            }
            let special = try item.optional("special")?.bool() ?? false
            let normalized = try item.optional("normalized")?.bool() ?? !special
            tokens.append(AddedToken(id: id, content: content, special: special, normalized: normalized))
        }
        return tokens
    }
}
