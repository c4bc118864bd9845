/// The ids with a role in masked diffusion, read from the tokenizer and the model's files, never
/// written as literals.
///
/// ```swift
/// let mask = try tokenizer.specialTokens.requireMask()
/// if tokenizer.specialTokens.isSpecial(id) { ... }
/// ```
public struct SpecialTokenIDs: Sendable, Equatable {
    /// The mask token (`<|mdm_mask|>` in LLaDA, `<|mask|>` in Dream).
    public var mask: Int?
    /// End of text, also used as padding (`<|endoftext|>`).
    public var endOfText: Int?
    /// End of an assistant turn (`<|eot_id|>` in LLaDA, `<|im_end|>` in Dream).
    public var endOfTurn: Int?
    /// Beginning of text (`<|startoftext|>` in LLaDA, `<|beginoftext|>` in Dream).
    public var beginOfText: Int?
    /// Every id marked special: the roles above and added tokens with `special: true`.
    public var allSpecial: Set<Int>
    /// The file the ids were read from, for error messages.
    public var source: String

    public init(mask: Int? = nil, endOfText: Int? = nil, endOfTurn: Int? = nil, beginOfText: Int? = nil,
                allSpecial: Set<Int> = [], source: String = "") {
        self.mask = mask
        self.endOfText = endOfText
        self.endOfTurn = endOfTurn
        self.beginOfText = beginOfText
        self.allSpecial = allSpecial.union([mask, endOfText, endOfTurn, beginOfText].compactMap { $0 })
        self.source = source
    }

    public func isSpecial(_ id: Int) -> Bool { allSpecial.contains(id) }

    /// The mask id, or an error naming the file when the model has none.
    public func requireMask() throws(TokenizerError) -> Int {
        guard let mask else { throw .noMaskToken(file: source) }
        return mask
    }

    /// Token strings the supported model families use for each role, in order of preference.
    public static let knownMaskTokens = ["<|mdm_mask|>", "<|mask|>"]
    public static let knownEndOfTextTokens = ["<|endoftext|>"]
    public static let knownEndOfTurnTokens = ["<|eot_id|>", "<|im_end|>"]
    public static let knownBeginOfTextTokens = ["<|startoftext|>", "<|beginoftext|>"]
}
