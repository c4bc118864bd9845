/// How text is cut into words before BPE: zero or more splitting stages (HF `Split` with a
/// recognised regex, or `Digits`), then the ByteLevel step, which may add a leading space to each
/// piece and may split again by GPT-2's pattern (`use_regex`). Every stage re-splits the pieces
/// of the one before, as HF's `Sequence` does.
struct PreTokenizer: Sendable, Equatable {
    /// Split and Digits stages, in order (both keep every scalar: `Isolated` behaviour).
    var stages: [SplitPattern]
    /// ByteLevel's `add_prefix_space`: a piece not starting with a space gets one.
    var addPrefixSpace: Bool
    /// ByteLevel's `use_regex`: split each piece by the GPT-2 pattern.
    var byteLevelSplit: Bool

    /// Calls `word` with the UTF-8 bytes of each word of `text`, in order.
    func forEachWord(in text: Substring, _ word: (ArraySlice<UInt8>) -> Void) {
        let patterns = stages + (byteLevelSplit ? [SplitPattern.gpt2] : [])
        if !addPrefixSpace, patterns.count <= 1 {
            // The common case (Qwen2, Llama-3, LLaDA): one scan straight into the words.
            let scalars = ScalarText(text)
            guard let pattern = patterns.first else {
                if !scalars.utf8.isEmpty { word(scalars.utf8[...]) }
                return
            }
            pattern.split(scalars) { range in word(scalars.utf8[scalars.utf8Range(range)]) }
            return
        }
        var pieces: [[UInt8]] = [Array(text.utf8)]
        for stage in stages { pieces = pieces.flatMap { stage.pieces(of: $0) } }
        for var piece in pieces where !piece.isEmpty {
            if addPrefixSpace, piece.first != UInt8(ascii: " ") { piece.insert(UInt8(ascii: " "), at: 0) }
            if byteLevelSplit {
                for part in SplitPattern.gpt2.pieces(of: piece) { word(part[...]) }
            } else {
                word(piece[...])
            }
        }
    }
}

extension SplitPattern {
    /// HF's `Digits` pre-tokenizer is a split by `\p{N}` (one digit each) or `\p{N}+`.
    static func digits(individually: Bool) -> SplitPattern {
        SplitPattern(rules: [.numbers(optionalSpace: false, limit: individually ? 1 : nil)])
    }

    /// The pieces of UTF-8 text, as byte arrays.
    func pieces(of utf8: [UInt8]) -> [[UInt8]] {
        let scalars = ScalarText(Substring(String(decoding: utf8, as: UTF8.self)))
        var result: [[UInt8]] = []
        split(scalars) { result.append(Array(scalars.utf8[scalars.utf8Range($0)])) }
        return result
    }
}
