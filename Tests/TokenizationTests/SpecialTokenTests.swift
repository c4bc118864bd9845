import Foundation
import Testing
@testable import Tokenization

@Suite("special tokens")
struct SpecialTokenTests {
    @Test("LLaDA roles are read from the tokenizer")
    func lladaRoles() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        let special = tokenizer.specialTokens
        #expect(special.mask == tokenizer.id(forToken: "<|mdm_mask|>"))
        #expect(special.endOfText == tokenizer.id(forToken: "<|endoftext|>"))
        #expect(special.endOfTurn == tokenizer.id(forToken: "<|eot_id|>"))
        #expect(special.beginOfText == tokenizer.id(forToken: "<|startoftext|>"))
        #expect(try special.requireMask() == tokenizer.id(forToken: "<|mdm_mask|>"))
        #expect(special.endOfText != special.mask)
        #expect(tokenizer.isSpecial(tokenizer.id(forToken: "<|start_header_id|>")!))
        #expect(!tokenizer.isSpecial(tokenizer.id(forToken: "Ġthe")!))
    }

    @Test("Dream roles are read from the tokenizer; added tokens not marked special are not special")
    func dreamRoles() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama3-style")
        let special = tokenizer.specialTokens
        #expect(special.mask == tokenizer.id(forToken: "<|mask|>"))
        #expect(special.endOfText == tokenizer.id(forToken: "<|endoftext|>"))
        #expect(special.endOfTurn == tokenizer.id(forToken: "<|im_end|>"))
        #expect(special.beginOfText == tokenizer.id(forToken: "<|beginoftext|>"))
        let think = try #require(tokenizer.id(forToken: "<think>"))
        #expect(!tokenizer.isSpecial(think))
        #expect(tokenizer.encode("a<think>b") == tokenizer.encode("a") + [think] + tokenizer.encode("b"))
    }

    @Test("special tokens in text are matched, adjacent ones too, partial ones are not")
    func matching() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        let eos = try #require(tokenizer.specialTokens.endOfText)
        let mask = try #require(tokenizer.specialTokens.mask)
        #expect(tokenizer.encode("<|endoftext|><|endoftext|>") == [eos, eos])
        #expect(tokenizer.encode("x<|mdm_mask|><|mdm_mask|>y") == tokenizer.encode("x") + [mask, mask] + tokenizer.encode("y"))
        #expect(!tokenizer.encode("<|endoftext|").contains(eos))
        #expect(!tokenizer.encode("<|mdm_mask |>").contains(mask))
        #expect(tokenizer.encode("") == [])
    }

    @Test("the longest added token at a position wins")
    func longestMatch() throws {
        var json = MinimalTokenizerJSON.object(addedTokens: [("<x>", true), ("<x><y>", true), ("<x><", false)])
        json["normalizer"] = NSNull()
        let tokenizer = try Tokenizer.load(data: MinimalTokenizerJSON.data(json), name: "test.json")
        #expect(tokenizer.encode("<x><y>") == [301])
        #expect(tokenizer.encode("<x><z>") == [302] + tokenizer.encode("z>"))
        #expect(tokenizer.encode("a<x>") == tokenizer.encode("a") + [300])
    }

    @Test("decode can skip special tokens")
    func skipSpecial() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama3-style")
        let text = "<|im_start|>user\nHi<|im_end|>\n<|mask|><|mask|><|endoftext|>"
        let ids = tokenizer.encode(text)
        #expect(tokenizer.decode(ids) == text)
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "user\nHi\n")
        #expect(tokenizer.decode(tokenizer.encode("a<think>b"), skipSpecialTokens: true) == "a<think>b")
    }

    @Test("special tokens that are also vocabulary entries (as the trainer's special_tokens makes them)")
    func specialsInVocabulary() throws {
        let names = ["<|endoftext|>", "<|startoftext|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|mdm_mask|>"]
        var json = MinimalTokenizerJSON.object(addedTokens: names.map { ($0, true) })
        var model = json["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        for (index, name) in names.enumerated() { vocab[name] = 300 + index }
        model["vocab"] = vocab
        json["model"] = model
        let tokenizer = try Tokenizer.load(data: MinimalTokenizerJSON.data(json), name: "test.json")
        #expect(tokenizer.specialTokens.mask == 305)
        #expect(tokenizer.specialTokens.endOfTurn == 304)
        let ids = try tokenizer.encodeChat(user: "hello", template: .lladaInstruct)
        #expect(ids.prefix(2) == [301, 302])
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "user\n\nhelloassistant\n\n")
    }

    @Test("tokenizer_config.json and config.json name roles the vocabulary spells differently")
    func configFiles() throws {
        var json = MinimalTokenizerJSON.object(addedTokens: [("[MASK]", true), ("[EOS]", true), ("[BOS]", true)])
        json["normalizer"] = NSNull()
        let url = try TokenizerFixtures.temporaryFile(String(decoding: MinimalTokenizerJSON.data(json), as: UTF8.self))
        let folder = url.deletingLastPathComponent()
        try #"{"mask_token": "[MASK]", "eos_token": {"content": "[EOS]"}}"#
            .write(to: folder.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
        try #"{"bos_token_id": 302, "eos_token_id": [9999]}"#
            .write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        for source in [folder, url] {
            let tokenizer = try Tokenizer.load(from: source)
            #expect(tokenizer.specialTokens.mask == 300)
            #expect(tokenizer.specialTokens.endOfText == 301)
            #expect(tokenizer.specialTokens.beginOfText == 302)
            #expect(tokenizer.specialTokens.endOfTurn == nil)
        }
        // A file with another name is read alone.
        let alone = folder.appendingPathComponent("other.json")
        try FileManager.default.copyItem(at: url, to: alone)
        #expect(try Tokenizer.load(from: alone).specialTokens.mask == nil)
    }

    @Test("a malformed config.json in a model folder is reported")
    func badConfig() throws {
        let url = try TokenizerFixtures.temporaryFile(String(decoding: MinimalTokenizerJSON.data(MinimalTokenizerJSON.object()), as: UTF8.self))
        let config = url.deletingLastPathComponent().appendingPathComponent("config.json")
        try "{not json".write(to: config, atomically: true, encoding: .utf8)
        #expect { try Tokenizer.load(from: url.deletingLastPathComponent()) } throws: { error in
            guard case let .invalidJSON(file, _)? = error as? TokenizerError else { return false }
            return file == config.path
        }
    }
}
