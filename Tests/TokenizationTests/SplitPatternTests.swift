import Testing
@testable import Tokenization

@Suite("split pattern recognition and scanning")
struct SplitPatternTests {
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    private func pieces(_ text: String, _ pattern: SplitPattern) -> [String] {
        let scalars = ScalarText(Substring(text))
        var result: [String] = []
        pattern.split(scalars) { result.append(String(decoding: scalars.utf8[scalars.utf8Range($0)], as: UTF8.self)) }
        return result
    }

    @Test("Qwen2 and Llama-3 patterns differ only in digit runs")
    func digits() throws {
        let qwen2 = try SplitPattern(recognising: MinimalTokenizerJSON.qwen2Pattern)
        let llama3 = try SplitPattern(recognising: Self.llama3)
        #expect(pieces("12345", qwen2) == ["1", "2", "3", "4", "5"])
        #expect(pieces("12345", llama3) == ["123", "45"])
        #expect(pieces("x 1234567", SplitPattern.gpt2) == ["x", " 1234567"])
    }

    @Test("contractions are case-insensitive, including the long s", arguments: [
        ("it'ſ", ["it", "'ſ"]), ("IT'S", ["IT", "'S"]), ("we'Ll", ["we", "'Ll"]), ("'x", ["'x"]),
    ])
    func contractions(text: String, expected: [String]) throws {
        #expect(pieces(text, try SplitPattern(recognising: Self.llama3)) == expected)
    }

    @Test("whitespace runs follow the regex's backtracking", arguments: [
        ("a\u{a0}\u{a0}b", ["a", "\u{a0}", "\u{a0}b"]), (" \u{3000}x", [" ", "\u{3000}x"]),
        ("a   b", ["a", "  ", " b"]), ("a  \n  b", ["a", "  \n", " ", " b"]), ("x  ", ["x", "  "]),
        ("x.\n\ny", ["x", ".\n\n", "y"]), ("\r\n\r\n", ["\r\n\r\n"]),
    ])
    func whitespace(text: String, expected: [String]) throws {
        #expect(pieces(text, try SplitPattern(recognising: Self.llama3)) == expected)
    }

    @Test("GPT-2 keeps one leading space with words, numbers and punctuation")
    func gpt2() {
        #expect(pieces("Hello, world!  ok", SplitPattern.gpt2) == ["Hello", ",", " world", "!", " ", " ok"])
        #expect(pieces("don't", SplitPattern.gpt2) == ["don", "'t"])
        #expect(pieces("DON'T", SplitPattern.gpt2) == ["DON", "'", "T"])
    }

    @Test("unknown alternatives are refused")
    func unknown() {
        #expect(throws: SplitPattern.UnknownAlternative.self) { try SplitPattern(recognising: #"\w+|\s+"#) }
        #expect(throws: SplitPattern.UnknownAlternative.self) { try SplitPattern(recognising: #"(?i:'s|\d)"#) }
    }
}
