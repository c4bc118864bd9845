import Testing
@testable import Tokenization

@Suite("streaming decode and display pieces")
struct StreamingDecoderTests {
    @Test("a character split across tokens shows a placeholder until it completes")
    func splitCharacter() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama3-style")
        let character = try #require(["𝄞", "🦀", "😀"].first { tokenizer.encode($0).count > 1 },
                                     "some character should need several byte tokens in this small vocabulary")
        let ids = tokenizer.encode(character)
        var stream = StreamingDecoder(tokenizer: tokenizer, placeholder: "…")
        for id in ids.dropLast() {
            #expect(stream.append(id) == "")
            #expect(stream.displayText == "…")
        }
        #expect(stream.append(ids.last!) == character)
        #expect(stream.displayText == character)
        #expect(stream.pendingBytes.isEmpty)
    }

    @Test("streaming every golden line gives decode's text, and only ever grows")
    func matchesDecode() throws {
        for kind in ["qwen2-style", "llama3-style"] {
            let tokenizer = try TokenizerFixtures.tokenizer(kind)
            for line in try TokenizerFixtures.lines() {
                let ids = tokenizer.encode(line)
                var stream = StreamingDecoder(tokenizer: tokenizer)
                var previous: [UInt8] = []
                for id in ids {
                    stream.append(id)
                    let now = Array(stream.text.utf8)
                    #expect(now.starts(with: previous))
                    previous = now
                }
                stream.finish()
                #expect(stream.text == tokenizer.decode(ids))
            }
        }
    }

    @Test("bytes that can never be valid are shown at once; unfinished ones at the end become U+FFFD")
    func invalidBytes() throws {
        let tokenizer = try MinimalTokenizerJSON.load()
        var stream = StreamingDecoder(tokenizer: tokenizer)
        #expect(stream.append(0x80) == "\u{FFFD}")  // a lone continuation byte
        #expect(stream.append(0xE4) == "")          // a lead byte waits
        #expect(stream.append(Int(UInt8(ascii: "a"))) == "\u{FFFD}a")
        stream.append(0xF0)
        stream.append(0x9F)
        #expect(stream.displayText == "\u{FFFD}\u{FFFD}a\u{FFFD}")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(stream.pendingBytes.isEmpty)
    }

    @Test("skipping special tokens while streaming")
    func skipSpecial() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        var stream = StreamingDecoder(tokenizer: tokenizer, skipSpecialTokens: true)
        stream.append(contentsOf: tokenizer.encode("<|startoftext|>Hi<|eot_id|>"))
        #expect(stream.text == "Hi")
    }

    @Test("incomplete UTF-8 suffixes", arguments: [
        ([UInt8](), 0), ([0x61], 0), ([0xC3], 1), ([0xC3, 0xA9], 0), ([0xE4, 0xBD], 2), ([0xF0, 0x9F, 0x98], 3),
        ([0xF0, 0x9F, 0x98, 0x80], 0), ([0xE0, 0x80], 0), ([0xED, 0xA0], 0), ([0xF5], 0), ([0x80, 0x80], 0),
    ])
    func tails(bytes: [UInt8], expected: Int) {
        #expect(UTF8Tail.incompleteSuffixLength(bytes) == expected)
    }

    @Test("display pieces are printable and keep layout")
    func displayPieces() throws {
        let tokenizer = try MinimalTokenizerJSON.load()
        #expect(tokenizer.displayPiece(for: 258) == "hell")
        #expect(tokenizer.displayPiece(for: 259) == " w")
        #expect(tokenizer.displayPiece(for: 10) == "↵")
        #expect(tokenizer.displayPiece(for: 9) == "⇥")
        #expect(tokenizer.displayPiece(for: 0) == "<U+0000>")
        #expect(tokenizer.displayPiece(for: 0xE4) == "\u{FFFD}")
        #expect(tokenizer.displayPiece(for: 300) == "<|endoftext|>")
        #expect(tokenizer.displayPiece(for: 99_999) == "<99999?>")
        #expect(Tokenizer.visible("\u{301}a") == "\u{25CC}\u{301}a")
        #expect(Tokenizer.visible("a\u{202E}b\u{00A0}") == "a<U+202E>b<U+00A0>")
        #expect(Tokenizer.visible("👩‍💻") == "👩‍💻")
        #expect(tokenizer.piece(for: 259) == "Ġw")
        #expect(tokenizer.piece(for: -1) == nil)
        #expect(tokenizer.vocabularySize == 301)
    }
}
