/// A pre-tokenizer split regex, recognised rather than compiled. HF byte-level tokenizers use a
/// handful of patterns (GPT-2, Llama-3, Qwen2) built from a small set of alternatives; each
/// alternative we know becomes a `SplitRule` with the exact matching behaviour of the regex
/// (greedy, with the backtracking that `\s*[\r\n]+` and `\s+(?!\S)` need). An alternative we do
/// not know is an error, never a silent approximation.
struct SplitPattern: Sendable, Equatable {
    let rules: [SplitRule]

    /// GPT-2's pattern, which a ByteLevel pre-tokenizer with `use_regex: true` applies.
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    static let gpt2 = SplitPattern(rules: ["s", "t", "re", "ve", "m", "ll", "d"].map {
        SplitRule.literal(Array("'\($0)".unicodeScalars), caseInsensitive: false)
    } + [
        .letters(prefix: .optionalSpace), .numbers(optionalSpace: true, limit: nil),
        .others(optionalSpace: true, trailingNewlines: false), .whitespaceNotBeforeNonSpace, .whitespace,
    ])

    init(rules: [SplitRule]) { self.rules = rules }

    /// Recognises `pattern`; throws the first alternative it does not know.
    init(recognising pattern: String) throws(UnknownAlternative) {
        var rules: [SplitRule] = []
        for alternative in Self.topLevelAlternatives(pattern) {
            rules += try Self.rules(for: alternative)
        }
        self.rules = rules
    }

    struct UnknownAlternative: Error { let text: String }

    private static func rules(for alternative: String) throws(UnknownAlternative) -> [SplitRule] {
        if let rule = known[alternative] { return [rule] }
        if isPlainLiteral(alternative), !alternative.isEmpty {
            return [.literal(Array(alternative.unicodeScalars), caseInsensitive: false)]
        }
        if alternative.hasPrefix("(?i:"), alternative.hasSuffix(")") {
            let inner = String(alternative.dropFirst(4).dropLast())
            var rules: [SplitRule] = []
            for literal in topLevelAlternatives(inner) {
                guard isPlainLiteral(literal), !literal.isEmpty else { throw UnknownAlternative(text: alternative) }
                rules.append(.literal(Array(literal.unicodeScalars), caseInsensitive: true))
            }
            return rules
        }
        if alternative.hasPrefix(#"\p{N}{1,"#), alternative.hasSuffix("}"),
           let limit = Int(alternative.dropFirst(8).dropLast()), limit > 0 {
            return [.numbers(optionalSpace: false, limit: limit)]
        }
        throw UnknownAlternative(text: alternative)
    }

    private static let known: [String: SplitRule] = [
        #" ?\p{L}+"#: .letters(prefix: .optionalSpace),
        #"\p{L}+"#: .letters(prefix: .none),
        #"[^\r\n\p{L}\p{N}]?\p{L}+"#: .letters(prefix: .optionalNonNewlineOther),
        #" ?\p{N}+"#: .numbers(optionalSpace: true, limit: nil),
        #"\p{N}+"#: .numbers(optionalSpace: false, limit: nil),
        #"\p{N}"#: .numbers(optionalSpace: false, limit: 1),
        #" ?[^\s\p{L}\p{N}]+"#: .others(optionalSpace: true, trailingNewlines: false),
        #"[^\s\p{L}\p{N}]+"#: .others(optionalSpace: false, trailingNewlines: false),
        #" ?[^\s\p{L}\p{N}]+[\r\n]*"#: .others(optionalSpace: true, trailingNewlines: true),
        #"\s*[\r\n]+"#: .whitespaceEndingInNewline,
        #"\s+(?!\S)"#: .whitespaceNotBeforeNonSpace,
        #"\s+"#: .whitespace,
    ]

    private static func isPlainLiteral(_ text: String) -> Bool {
        !text.contains { #"\^$.|?*+()[]{}"#.contains($0) }
    }

    /// Splits at `|` outside groups and classes, honouring escapes.
    static func topLevelAlternatives(_ pattern: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0, inClass = false, escaped = false
        for character in pattern {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            case "|" where !inClass && depth == 0:
                parts.append(current); current = ""; continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}

/// One alternative of a split pattern.
enum SplitRule: Sendable, Equatable {
    enum LetterPrefix: Sendable, Equatable {
        case none
        /// ` ?\p{L}+`
        case optionalSpace
        /// `[^\r\n\p{L}\p{N}]?\p{L}+`
        case optionalNonNewlineOther
    }
    /// A fixed string, such as the contraction `'ll`; `(?i:…)` makes it case-insensitive.
    case literal([Unicode.Scalar], caseInsensitive: Bool)
    case letters(prefix: LetterPrefix)
    /// ` ?\p{N}+`, `\p{N}+`, `\p{N}` (limit 1) or `\p{N}{1,3}` (limit 3).
    case numbers(optionalSpace: Bool, limit: Int?)
    /// ` ?[^\s\p{L}\p{N}]+`, optionally followed by `[\r\n]*`.
    case others(optionalSpace: Bool, trailingNewlines: Bool)
    /// `\s*[\r\n]+`
    case whitespaceEndingInNewline
    /// `\s+(?!\S)`
    case whitespaceNotBeforeNonSpace
    /// `\s+`
    case whitespace
}
