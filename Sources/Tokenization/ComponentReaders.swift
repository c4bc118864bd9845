/// Readers for the small components of tokenizer.json: normalizer, pre-tokenizer, decoder and
/// post-processor. Each accepts exactly what the supported model families use and names anything
/// else as an unsupported feature.
enum ComponentReaders {
    static let supportedHint = "this reader covers byte-level BPE as in LLaDA, Dream/Qwen2, Llama-3 and GPT-2"

    static func normalizer(_ node: JSONNode?) throws(TokenizerError) -> Normalizer {
        guard let node else { return .none }
        let type = try node.typeName()
        switch type {
        case "NFC":
            return .nfc
        case "Sequence":
            let items = try node.required("normalizers", "an array of normalizers", hint: "a Sequence lists its parts").array()
            var result = Normalizer.none
            for item in items {
                let part = try normalizer(item)
                if part == .nfc { result = .nfc }
            }
            return result
        default:
            throw node.unsupported("normalizer type \"\(type)\"", hint: "supported: null, NFC; " + supportedHint)
        }
    }

    static func preTokenizer(_ node: JSONNode?, file: String) throws(TokenizerError) -> PreTokenizer {
        guard let node else {
            throw .unsupportedFeature(feature: "pre_tokenizer null", file: file,
                                      hint: "a byte-level BPE needs a ByteLevel pre-tokenizer; " + supportedHint)
        }
        let type = try node.typeName()
        switch type {
        case "ByteLevel":
            return try byteLevel(node, stages: [])
        case "Sequence":
            let items = try node.required("pretokenizers", "an array of pre-tokenizers", hint: "a Sequence lists its parts").array()
            var stages: [SplitPattern] = []
            for (index, item) in items.enumerated() {
                let itemType = try item.typeName()
                if itemType == "Split" {
                    stages.append(try split(item))
                } else if itemType == "Digits" {
                    stages.append(.digits(individually: try item.optional("individual_digits")?.bool() ?? false))
                } else if itemType == "ByteLevel", index == items.count - 1 {
                    return try byteLevel(item, stages: stages)
                } else {
                    throw item.unsupported("pre-tokenizer \"\(itemType)\" at this position",
                                           hint: "supported: Split and Digits stages followed by ByteLevel; " + supportedHint)
                }
            }
            throw node.unsupported("Sequence without a final ByteLevel", hint: supportedHint)
        default:
            throw node.unsupported("pre-tokenizer type \"\(type)\"", hint: "supported: ByteLevel, Sequence[Split/Digits..., ByteLevel]; " + supportedHint)
        }
    }

    private static func byteLevel(_ node: JSONNode, stages: [SplitPattern]) throws(TokenizerError) -> PreTokenizer {
        let prefixSpace = try node.optional("add_prefix_space")?.bool() ?? true
        let useRegex = try node.optional("use_regex")?.bool() ?? true
        return PreTokenizer(stages: stages, addPrefixSpace: prefixSpace, byteLevelSplit: useRegex)
    }

    private static func split(_ node: JSONNode) throws(TokenizerError) -> SplitPattern {
        let behavior = try node.optional("behavior")?.string() ?? "Isolated"
        guard behavior == "Isolated" else {
            throw node.unsupported("Split behavior \"\(behavior)\"", hint: "only Isolated is supported")
        }
        if try node.optional("invert")?.bool() == true {
            throw node.unsupported("Split invert true", hint: "only invert false is supported")
        }
        let pattern = try node.required("pattern", "an object {\"Regex\": ...}", hint: "a Split names its pattern")
        guard let regex = try pattern.optional("Regex")?.string() else {
            throw pattern.unsupported("Split pattern other than Regex", hint: "only {\"Regex\": ...} patterns are supported")
        }
        do {
            return try SplitPattern(recognising: regex)
        } catch {
            throw pattern.unsupported("regex alternative `\(error.text)`",
                                      hint: "known: the GPT-2, Llama-3 and Qwen2 split patterns and their parts")
        }
    }

    /// Validates the decoder; decoding itself is always byte-level (with byte fallback if used).
    static func decoder(_ node: JSONNode?, file: String) throws(TokenizerError) {
        guard let node else {
            throw .unsupportedFeature(feature: "decoder null", file: file, hint: "a byte-level BPE needs the ByteLevel decoder")
        }
        let type = try node.typeName()
        switch type {
        case "ByteLevel", "ByteFallback":
            return
        case "Sequence":
            for item in try node.required("decoders", "an array of decoders", hint: "a Sequence lists its parts").array() {
                try decoder(item, file: file)
            }
        default:
            throw node.unsupported("decoder type \"\(type)\"", hint: "supported: ByteLevel; " + supportedHint)
        }
    }

    /// Post-processors only add tokens when asked to add special tokens, which encode never does
    /// (prompts are rendered with their special tokens in the text); known kinds are accepted.
    static func postProcessor(_ node: JSONNode?) throws(TokenizerError) {
        guard let node else { return }
        let type = try node.typeName()
        guard ["ByteLevel", "TemplateProcessing", "Sequence"].contains(type) else {
            throw node.unsupported("post_processor type \"\(type)\"", hint: "supported: ByteLevel, TemplateProcessing; " + supportedHint)
        }
    }
}
