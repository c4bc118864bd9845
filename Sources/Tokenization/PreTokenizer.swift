/// How text is cut into words before BPE: an optional Split by a recognised regex, then the
/// ByteLevel step, which may add a leading space to each piece and may split again by GPT-2's
/// pattern (`use_regex`). Pieces are then spelled as bytes for the BPE model.
struct PreTokenizer: Sendable, Equatable {
    /// From a `Split` pre-tokenizer (behaviour `Isolated`).
    var split: SplitPattern?
    /// ByteLevel's `add_prefix_space`: a piece not starting with a space gets one.
    var addPrefixSpace: Bool
    /// ByteLevel's `use_regex`: split each piece by the GPT-2 pattern.
    var byteLevelSplit: Bool

    /// Calls `word` with the UTF-8 bytes of each word of `text`, in order.
    func forEachWord(in text: Substring, _ word: (ArraySlice<UInt8>) -> Void) {
        let patterns = [split, byteLevelSplit ? SplitPattern.gpt2 : nil].compactMap { $0 }
        if !addPrefixSpace, patterns.count <= 1 {
            let scalars = ScalarText(text)
            guard let pattern = patterns.first else {
                if !scalars.utf8.isEmpty { word(scalars.utf8[...]) }
                return
            }
            pattern.split(scalars) { range in word(scalars.utf8[scalars.utf8Range(range)]) }
            return
        }
        // The general order of HF's pipeline: Split, then per piece the prefix space, then the
        // GPT-2 split of ByteLevel.
        var pieces: [[UInt8]] = [Array(text.utf8)]
        if let split {
            let scalars = ScalarText(text)
            pieces = []
            split.split(scalars) { pieces.append(Array(scalars.utf8[scalars.utf8Range($0)])) }
        }
        for var piece in pieces where !piece.isEmpty {
            if addPrefixSpace, piece.first != UInt8(ascii: " ") { piece.insert(UInt8(ascii: " "), at: 0) }
            guard byteLevelSplit else { word(piece[...]); continue }
            let scalars = ScalarText(Substring(String(decoding: piece, as: UTF8.self)))
            SplitPattern.gpt2.split(scalars) { range in word(scalars.utf8[scalars.utf8Range(range)]) }
        }
    }
}
