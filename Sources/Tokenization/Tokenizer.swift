import Foundation

/// A byte-level BPE tokenizer read from an HF `tokenizer.json` (LLaDA, Dream/Qwen2, Llama-3,
/// GPT-2 style). Encoding matches HF `tokenizers` with `add_special_tokens=False`: special tokens
/// written in the text are matched as tokens, and nothing is added around it.
///
/// ```swift
/// let tokenizer = try Tokenizer.load(from: URL(fileURLWithPath: "Models/llada-mini"))
/// let ids = tokenizer.encode(tokenizer.renderChat(user: "What is 2+2?", template: .lladaInstruct))
/// let text = tokenizer.decode(ids, skipSpecialTokens: true)
/// let mask = try tokenizer.specialTokens.requireMask()
/// ```
public final class Tokenizer: Sendable {
    let definition: TokenizerDefinition
    /// The special-token ids the decoders use (mask, end of text, end of turn, beginning of text).
    public let specialTokens: SpecialTokenIDs
    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private let cache = WordCache()
    /// Ids of every added token, which display as written.
    let addedIDs: Set<Int>

    init(definition: TokenizerDefinition, specialTokens: SpecialTokenIDs) {
        self.definition = definition
        self.specialTokens = specialTokens
        addedIDs = Set(definition.addedTokens.map(\.id))
        // Tokens marked `normalized` are found after normalization, the others before it.
        let raw = definition.addedTokens.filter { !$0.normalized || definition.normalizer == .none }
        let normalized = definition.addedTokens.filter { $0.normalized && definition.normalizer != .none }
        rawMatcher = AddedTokenMatcher(tokens: raw.map { ($0.content, $0.id) })
        normalizedMatcher = AddedTokenMatcher(tokens: normalized.map { ($0.content, $0.id) })
    }

    /// The file the tokenizer was read from.
    public var file: String { definition.file }

    /// One more than the largest id the tokenizer knows (the model's embedding may be larger).
    public var vocabularySize: Int { definition.pieces.count }

    /// The vocabulary string of an id, as the file spells it ("Ġthe", "<|eot_id|>").
    public func piece(for id: Int) -> String? {
        guard id >= 0, id < definition.pieces.count else { return nil }
        return definition.pieces[id]
    }

    /// The id of a vocabulary string or added token, spelled as in the file.
    public func id(forToken token: String) -> Int? { definition.idsByPiece[token] }

    /// Encodes text; special tokens written in it become their ids.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3)
        let utf8 = Array(text.utf8)
        for segment in rawMatcher.split(utf8) {
            switch segment {
            case let .token(id):
                ids.append(id)
            case let .text(range):
                let normalized = definition.normalizer.apply(Substring(String(decoding: utf8[range], as: UTF8.self)))
                encodeNormalized(normalized, into: &ids)
            }
        }
        return ids
    }

    /// Decodes ids to text; bytes that are not valid UTF-8 become U+FFFD, as HF's decode does.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        String(decoding: bytes(for: ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// Whether an id is an added token marked special, or one of the special roles.
    public func isSpecial(_ id: Int) -> Bool { specialTokens.isSpecial(id) }

    /// The raw bytes of a sequence of ids (what `decode` turns into text).
    func bytes(for ids: [Int], skipSpecialTokens: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        var fallbackRun: [UInt8] = []
        for id in ids {
            guard id >= 0, id < definition.tokenBytes.count else { continue }
            if skipSpecialTokens, specialTokens.isSpecial(id) { continue }
            if let byte = definition.fallbackByte[id] {
                fallbackRun.append(byte)
                continue
            }
            if !fallbackRun.isEmpty { bytes += Self.unspellFallback(fallbackRun); fallbackRun = [] }
            bytes += definition.tokenBytes[id]
        }
        if !fallbackRun.isEmpty { bytes += Self.unspellFallback(fallbackRun) }
        return bytes
    }

    private func encodeNormalized(_ text: Substring, into ids: inout [Int]) {
        guard !normalizedMatcher.isEmpty else { return encodeWords(text, into: &ids) }
        let utf8 = Array(text.utf8)
        for segment in normalizedMatcher.split(utf8) {
            switch segment {
            case let .token(id): ids.append(id)
            case let .text(range): encodeWords(Substring(String(decoding: utf8[range], as: UTF8.self)), into: &ids)
            }
        }
    }

    private func encodeWords(_ text: Substring, into ids: inout [Int]) {
        let model = definition.model
        definition.preTokenizer.forEachWord(in: text) { word in
            if word.count == 1, let byte = word.first, model.byteTokens[Int(byte)] >= 0 {
                ids.append(Int(model.byteTokens[Int(byte)]))
                return
            }
            ids += cache.ids(for: word) {
                var wordIDs: [Int] = []
                model.encode(word: word, into: &wordIDs)
                return wordIDs
            }
        }
    }

    /// Byte-fallback tokens spell the UTF-8 of byte-level stand-in characters (HF's ByteFallback
    /// then ByteLevel decoders): read the characters back, then map them to their bytes.
    private static func unspellFallback(_ run: [UInt8]) -> [UInt8] {
        let text = String(decoding: run, as: UTF8.self)
        return ByteLevelAlphabet.bytes(spelledBy: text) ?? run
    }
}
