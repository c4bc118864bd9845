import Foundation
import Testing
import TestSupport
@testable import Tokenization

/// Our encoder against HF `tokenizers` on the committed golden lines (see
/// tools/reference/tokenizer_golden.py): every id sequence must match exactly.
@Suite("parity with HF tokenizers")
struct GoldenParityTests {
    @Test("every golden line encodes to HF's ids", arguments: TokenizerFixtures.kinds)
    func encodesLikeHF(kind: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(kind)
        let lines = try TokenizerFixtures.lines()
        let expected = try #require(try TokenizerFixtures.expectedIDs()[kind])
        #expect(lines.count == expected.count)
        #expect(lines.count >= 300)
        var failures = 0
        for (line, ids) in zip(lines, expected) {
            let actual = tokenizer.encode(line)
            if actual != ids {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(kind): \(line.debugDescription)\n  ours \(actual)\n  HF   \(ids)")
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(lines.count) lines differ")
    }

    @Test("decode(encode(x)) == x for every golden line", arguments: ["qwen2-style", "llama3-style"])
    func roundTrips(kind: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(kind)
        for line in try TokenizerFixtures.lines() {
            // String equality is canonical equivalence, so NFC normalization is invisible here;
            // compare the scalars as well for the tokenizer without a normalizer.
            let back = tokenizer.decode(tokenizer.encode(line))
            #expect(back == line)
            if kind == "llama3-style" { #expect(Array(back.unicodeScalars) == Array(line.unicodeScalars)) }
        }
    }

    @Test("add_prefix_space adds one space per segment and nothing else")
    func prefixSpaceRoundTrip() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("gpt2-style")
        #expect(tokenizer.decode(tokenizer.encode("hello world")) == " hello world")
        #expect(tokenizer.decode(tokenizer.encode(" already spaced")) == " already spaced")
    }
}

/// Parity for a tokenizer outside the repository (a real model's), when
/// `DLLM_TOKENIZER_PARITY` names a folder written by `tokenizer_golden.py --external`.
@Suite("parity with HF tokenizers on an external tokenizer")
struct ExternalParityTests {
    @Test("external golden lines encode to HF's ids",
          .enabled(if: ProcessInfoEnvironment.value("DLLM_TOKENIZER_PARITY") != nil))
    func external() throws {
        let folder = URL(fileURLWithPath: try #require(ProcessInfoEnvironment.value("DLLM_TOKENIZER_PARITY")))
        let tokenizer = try Tokenizer.load(from: folder.appendingPathComponent("tokenizer.json"))
        let lines = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("lines.json")))
        let ids = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("ids.json")))
        var failures = 0
        for (line, expected) in zip(lines, ids) {
            let actual = tokenizer.encode(line)
            if actual != expected.split(separator: " ").compactMap({ Int($0) }) {
                failures += 1
                if failures <= 5 { Issue.record("\(line.debugDescription)\n  ours \(actual)\n  HF   \(expected)") }
            }
        }
        #expect(failures == 0, "\(failures) of \(lines.count) lines differ")
    }
}
