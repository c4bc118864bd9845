import Foundation
import Testing
@testable import Tokenization

@Suite("BPE model options")
struct BPEModelTests {
    /// The minimal tokenizer without the token for byte 0x00 ("Ā"), plus `extra` vocabulary.
    private func withoutNullByte(_ extra: [String: Int], options: [String: Any]) throws -> Tokenizer {
        try MinimalTokenizerJSON.load(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["Ā"] = nil
            for (piece, id) in extra { vocab[piece] = id }
            model["vocab"] = vocab
            for (key, value) in options { model[key] = value }
        })
    }

    @Test("byte fallback spells a missing byte symbol as <0xXX> tokens and decodes it back")
    func byteFallback() throws {
        let tokenizer = try withoutNullByte(["<0xC4>": 260, "<0x80>": 261], options: ["byte_fallback": true])
        #expect(tokenizer.encode("a\u{0}b") == [97, 260, 261, 98])
        #expect(tokenizer.decode([97, 260, 261, 98]) == "a\u{0}b")
        var stream = StreamingDecoder(tokenizer: tokenizer)
        #expect(stream.append(97) == "a")
        #expect(stream.append(260) == "")
        #expect(stream.displayText == "a\u{FFFD}")
        #expect(stream.append(261) == "\u{0}")
        #expect(stream.append(98) == "b")
        #expect(stream.text == "a\u{0}b")
    }

    @Test("the unknown token stands in for missing bytes, fused when asked")
    func unknownToken() throws {
        let fused = try withoutNullByte(["<unk>": 262], options: ["unk_token": "<unk>", "fuse_unk": true])
        #expect(fused.encode("\u{0}\u{0}x") == [262, 120])
        let separate = try withoutNullByte(["<unk>": 262], options: ["unk_token": "<unk>"])
        #expect(separate.encode("\u{0}\u{0}x") == [262, 262, 120])
    }

    @Test("merges apply lowest rank first, leftmost first among equals")
    func mergeOrder() throws {
        let tokenizer = try MinimalTokenizerJSON.load(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["aa"] = 263
            vocab["aaa"] = 264
            vocab["ab"] = 265
            model["vocab"] = vocab
            model["merges"] = ["a b", "a a", "aa a"]
        })
        #expect(tokenizer.encode("aaaa") == [263, 263])
        #expect(tokenizer.encode("aaa") == [264])
        #expect(tokenizer.encode("aab") == [97, 265])  // "a b" outranks "a a"
    }

    @Test("ignore_merges takes a word found in the vocabulary whole")
    func ignoreMerges() throws {
        let tokenizer = try MinimalTokenizerJSON.load(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["hellx"] = 270
            model["vocab"] = vocab
            model["ignore_merges"] = true
        })
        #expect(tokenizer.encode("hellx") == [270])
        #expect(tokenizer.encode("hello") == [258, 111])
    }

    @Test("repeated words come from the cache with the same ids")
    func cache() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        let once = tokenizer.encode("the diffusion model decodes")
        #expect(tokenizer.encode("the diffusion model decodes") == once)
        #expect(tokenizer.encode(String(repeating: "the diffusion model decodes ", count: 50)).count > 50 * 4)
    }
}
