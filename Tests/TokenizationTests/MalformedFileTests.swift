import Foundation
import Testing
@testable import Tokenization

/// Every way a tokenizer.json can be wrong gives a typed error naming the file and the place.
@Suite("malformed and unsupported tokenizer files")
struct MalformedFileTests {
    /// The error thrown when loading after `change`, or nil when it loads.
    private func loadError(_ change: @escaping (inout [String: Any]) -> Void) -> TokenizerError? {
        do {
            _ = try MinimalTokenizerJSON.load(change)
            return nil
        } catch {
            return error
        }
    }

    private func expectMalformed(_ error: TokenizerError?, place: String, mentioning text: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        guard case let .malformed(file, actualPlace, _, _, _)? = error else {
            Issue.record("expected a malformed-file error at \(place), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(file == "test.json", sourceLocation: sourceLocation)
        #expect(actualPlace == place, sourceLocation: sourceLocation)
        #expect(error!.description.contains(text), "\(error!.description)", sourceLocation: sourceLocation)
        #expect(error!.description.contains("hint"), sourceLocation: sourceLocation)
    }

    private func expectUnsupported(_ error: TokenizerError?, mentioning text: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .unsupportedFeature? = error else {
            Issue.record("expected an unsupported-feature error, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        let description = error!.description
        #expect(description.hasPrefix("unsupported tokenizer feature"), sourceLocation: sourceLocation)
        #expect(description.contains(text), "\(description)", sourceLocation: sourceLocation)
        #expect(description.contains("test.json"), sourceLocation: sourceLocation)
    }

    @Test("the minimal tokenizer itself loads and encodes")
    func minimalLoads() throws {
        let tokenizer = try MinimalTokenizerJSON.load()
        #expect(tokenizer.encode("hello world") == [258, 111, 259, 111, 114, 108, 100])
        #expect(tokenizer.decode(tokenizer.encode("hello world")) == "hello world")
    }

    @Test("bytes that are not JSON")
    func notJSON() {
        #expect(throws: TokenizerError.self) { try Tokenizer.load(data: Data("{\"model\": ".utf8), name: "test.json") }
        do {
            _ = try Tokenizer.load(data: Data("version https://git-lfs".utf8), name: "test.json")
        } catch {
            guard case let .invalidJSON(file, _) = error else { Issue.record("got \(error)"); return }
            #expect(file == "test.json")
            #expect(error.description.contains("not valid JSON"))
        }
    }

    @Test("the top level is not an object")
    func topLevelArray() {
        do {
            _ = try Tokenizer.load(data: Data("[1, 2]".utf8), name: "test.json")
            Issue.record("loaded an array")
        } catch {
            expectMalformed(error, place: "top level", mentioning: "an object")
        }
    }

    @Test("no model")
    func missingModel() {
        expectMalformed(loadError { $0["model"] = nil }, place: "model", mentioning: "nothing")
    }

    @Test("a model that is not BPE")
    func wordPiece() {
        expectUnsupported(loadError(MinimalTokenizerJSON.model { $0["type"] = "WordPiece" }), mentioning: "WordPiece")
    }

    @Test("vocab with the wrong shape or bad ids")
    func badVocab() {
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["vocab"] = [1, 2] }), place: "model.vocab", mentioning: "an object")
        expectMalformed(loadError(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["he"] = "256"
            model["vocab"] = vocab
        }), place: "model.vocab[\"he\"]", mentioning: "an integer")
        expectMalformed(loadError(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["xyz"] = -3
            model["vocab"] = vocab
        }), place: "model.vocab[\"xyz\"]", mentioning: "between 0")
        #expect(loadError(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["xyz"] = 256
            model["vocab"] = vocab
        })?.description.contains("share id 256") == true)
    }

    @Test("merges naming tokens the vocabulary lacks")
    func unknownMergeTokens() {
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["merges"] = ["h q"] }),
                        place: "model.merges[0]", mentioning: "\"hq\", which is not in the vocabulary")
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["merges"] = [["he", "zz"]] }),
                        place: "model.merges[0]", mentioning: "\"zz\"")
    }

    @Test("merges with the wrong shape")
    func badMerges() {
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["merges"] = ["he"] }),
                        place: "model.merges[0]", mentioning: "separated by one space")
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["merges"] = ["h e", [1, 2]] }),
                        place: "model.merges[1]", mentioning: "a merge")
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["merges"] = "h e" }),
                        place: "model.merges", mentioning: "an array")
    }

    @Test("a vocabulary missing byte symbols, without fallback")
    func missingByteSymbols() {
        expectMalformed(loadError(MinimalTokenizerJSON.model { model in
            var vocab = model["vocab"] as! [String: Any]
            vocab["Ā"] = nil  // the stand-in of byte 0x00
            model["vocab"] = vocab
        }), place: "model.vocab", mentioning: "byte 0x0")
    }

    @Test("an unknown unk_token, dropout, and subword affixes")
    func modelOptions() {
        expectMalformed(loadError(MinimalTokenizerJSON.model { $0["unk_token"] = "<unk>" }),
                        place: "model.unk_token", mentioning: "<unk>")
        expectUnsupported(loadError(MinimalTokenizerJSON.model { $0["dropout"] = 0.1 }), mentioning: "dropout")
        expectUnsupported(loadError(MinimalTokenizerJSON.model { $0["continuing_subword_prefix"] = "##" }), mentioning: "##")
    }

    @Test("normalizers other than NFC")
    func normalizers() throws {
        expectUnsupported(loadError { $0["normalizer"] = ["type": "Lowercase"] }, mentioning: "Lowercase")
        _ = try MinimalTokenizerJSON.load { $0["normalizer"] = ["type": "NFC"] }
        _ = try MinimalTokenizerJSON.load { $0["normalizer"] = ["type": "Sequence", "normalizers": [["type": "NFC"]]] }
    }

    @Test("pre-tokenizers and split patterns we do not implement")
    func preTokenizers() {
        expectUnsupported(loadError { $0["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁"] }, mentioning: "Metaspace")
        expectUnsupported(loadError { $0["pre_tokenizer"] = NSNull() }, mentioning: "pre_tokenizer null")
        expectUnsupported(loadError { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "Split", "pattern": ["Regex": #"\p{L}+|[a-z]{2,}"#], "behavior": "Isolated", "invert": false],
            ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false]]] }, mentioning: "`[a-z]{2,}`")
        expectUnsupported(loadError { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "Split", "pattern": ["Regex": #"\s+"#], "behavior": "Removed", "invert": false],
            ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false]]] }, mentioning: "Removed")
        expectUnsupported(loadError { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "Split", "pattern": ["String": " "], "behavior": "Isolated", "invert": false],
            ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false]]] }, mentioning: "other than Regex")
        expectUnsupported(loadError { $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "Whitespace"], ["type": "ByteLevel"]]] }, mentioning: "Whitespace")
    }

    @Test("decoders and post-processors")
    func decoders() {
        expectUnsupported(loadError { $0["decoder"] = ["type": "WordPiece"] }, mentioning: "WordPiece")
        expectUnsupported(loadError { $0["decoder"] = NSNull() }, mentioning: "decoder null")
        expectUnsupported(loadError { $0["post_processor"] = ["type": "BertProcessing"] }, mentioning: "BertProcessing")
    }

    @Test("added tokens with bad fields or stripping rules")
    func addedTokens() {
        expectUnsupported(loadError { $0["added_tokens"] = [["id": 300, "content": "<m>", "lstrip": true, "special": true]] },
                          mentioning: "lstrip")
        expectMalformed(loadError { $0["added_tokens"] = [["id": 300, "special": true]] },
                        place: "added_tokens[0].content", mentioning: "nothing")
        expectMalformed(loadError { $0["added_tokens"] = [["id": -1, "content": "<m>"]] },
                        place: "added_tokens[0].id", mentioning: "between 0")
    }

    @Test("files and folders that are not there")
    func missingFiles() throws {
        #expect(throws: TokenizerError.unreadable(file: "/nonexistent/tokenizer.json", reason: "no such file or folder")) {
            try Tokenizer.load(from: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }
        let folder = try TokenizerFixtures.temporaryFile("{}", name: "config.json").deletingLastPathComponent()
        #expect(throws: TokenizerError.noTokenizerFile(directory: folder.path)) { try Tokenizer.load(from: folder) }
    }

    @Test("a model without a mask token says so")
    func noMask() throws {
        let tokenizer = try MinimalTokenizerJSON.load()
        #expect(tokenizer.specialTokens.mask == nil)
        #expect(throws: TokenizerError.noMaskToken(file: "test.json")) { try tokenizer.specialTokens.requireMask() }
        #expect(TokenizerError.noMaskToken(file: "test.json").description.contains("<|mdm_mask|>"))
    }
}
