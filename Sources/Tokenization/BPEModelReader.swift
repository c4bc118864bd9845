/// Reads the `model` section of tokenizer.json into a `BPEModel`, checking every id and merge.
enum BPEModelReader {
    struct Result {
        let model: BPEModel
        let vocab: [String: Int]
        let byteFallback: Bool
    }

    static let maximumID = 10_000_000

    static func fallbackName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    static func read(_ node: JSONNode) throws(TokenizerError) -> Result {
        let type = try node.optional("type")?.string() ?? "BPE"
        guard type == "BPE" else {
            throw node.unsupported("model type \"\(type)\"", hint: "only BPE models are supported; " + ComponentReaders.supportedHint)
        }
        if let dropout = try node.optional("dropout") {
            throw dropout.unsupported("BPE dropout", hint: "dropout is a training-time option; set it to null")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try node.optional(key), try !value.string().isEmpty {
                throw value.unsupported("\(key) \"\(try value.string())\"", hint: "byte-level BPE uses neither")
            }
        }
        let vocab = try readVocab(node.required("vocab", "an object mapping token strings to ids",
                                                hint: "a BPE model lists its vocabulary"))
        let merges = try readMerges(node.required("merges", "an array of merges (\"a b\" or [\"a\", \"b\"])",
                                                  hint: "a BPE model lists its merges"), vocab: vocab)
        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            if let id = vocab[String(ByteLevelAlphabet.scalars[byte])] { byteTokens[byte] = Int32(id) }
        }
        let byteFallback = try node.optional("byte_fallback")?.bool() ?? false
        var fallbackTokens: [[Int32]]? = nil
        if byteFallback {
            fallbackTokens = (0..<256).map { byte in
                let spelled = Array(String(ByteLevelAlphabet.scalars[byte]).utf8)
                let ids = spelled.compactMap { vocab[fallbackName($0)].map(Int32.init) }
                return ids.count == spelled.count ? ids : []
            }
        }
        var unknown: Int32? = nil
        if let unkNode = try node.optional("unk_token") {
            let name = try unkNode.string()
            guard let id = vocab[name] else {
                throw unkNode.mismatch("a token present in model.vocab", hint: "add \(name) to the vocabulary or set unk_token to null")
            }
            unknown = Int32(id)
        }
        let missing = byteTokens.indices.filter { byteTokens[$0] < 0 }
        if !missing.isEmpty, !byteFallback, unknown == nil {
            throw .malformed(file: node.file, place: node.place + ".vocab",
                             expected: "all 256 byte-level symbols (Ā, Ġ, ...) or byte_fallback or unk_token",
                             found: "\(missing.count) bytes without a token, e.g. byte 0x\(String(missing[0], radix: 16))",
                             hint: "train with initial_alphabet=ByteLevel.alphabet() so every byte can be encoded")
        }
        var wholeWords: [[UInt8]: Int32]? = nil
        if try node.optional("ignore_merges")?.bool() == true {
            var words: [[UInt8]: Int32] = [:]
            for (piece, id) in vocab {
                if let bytes = ByteLevelAlphabet.bytes(spelledBy: piece) { words[bytes] = Int32(id) }
            }
            wholeWords = words
        }
        let fuse = try node.optional("fuse_unk")?.bool() ?? false
        let model = BPEModel(merges: merges, byteTokens: byteTokens, fallbackTokens: fallbackTokens,
                             unknownToken: unknown, fuseUnknown: fuse, wholeWords: wholeWords)
        return Result(model: model, vocab: vocab, byteFallback: byteFallback)
    }

    private static func readVocab(_ node: JSONNode) throws(TokenizerError) -> [String: Int] {
        let members = try node.object()
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(members.count)
        var seen = Set<Int>()
        for (piece, value) in members {
            let entry = JSONNode(value: value, place: "\(node.place)[\"\(piece)\"]", file: node.file)
            let id = try entry.int()
            guard id >= 0, id < maximumID else { throw entry.mismatch("an id between 0 and \(maximumID)") }
            guard seen.insert(id).inserted else {
                throw entry.mismatch("an id no other token has", hint: "two vocabulary entries share id \(id)")
            }
            vocab[piece] = id
        }
        return vocab
    }

    private static func readMerges(_ node: JSONNode, vocab: [String: Int]) throws(TokenizerError) -> [UInt64: BPEModel.Merge] {
        let items = try node.array()
        var merges: [UInt64: BPEModel.Merge] = [:]
        merges.reserveCapacity(items.count)
        let hint = "every merge must join two vocabulary tokens into a third; is the vocab from the same tokenizer?"
        for (rank, item) in items.enumerated() {
            let left: String, right: String
            if let text = item.value as? String {
                guard let space = text.firstIndex(of: " "), space != text.startIndex,
                      text.index(after: space) != text.endIndex else {
                    throw item.mismatch("two tokens separated by one space, like \"Ġ t\"")
                }
                left = String(text[..<space])
                right = String(text[text.index(after: space)...])
            } else if let pair = item.value as? [Any], pair.count == 2, let a = pair[0] as? String, let b = pair[1] as? String {
                left = a
                right = b
            } else {
                throw item.mismatch("a merge: \"a b\" or [\"a\", \"b\"]")
            }
            var ids: [Int32] = []
            for part in [left, right, left + right] {
                guard let id = vocab[part] else {
                    throw .malformed(file: item.file, place: item.place, expected: "tokens present in model.vocab",
                                     found: "\"\(part)\", which is not in the vocabulary", hint: hint)
                }
                ids.append(Int32(id))
            }
            merges[BPEModel.pairKey(ids[0], ids[1])] = BPEModel.Merge(rank: Int32(rank), result: ids[2])
        }
        return merges
    }
}
