import Testing
@testable import Tokenization

@Suite("chat templates")
struct ChatTemplateTests {
    @Test("LLaDA-Instruct renders the Llama-3 style single turn")
    func lladaText() {
        #expect(ChatTemplate.lladaInstruct.render(user: "Hi") ==
            "<|startoftext|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    @Test("Dream-Instruct renders ChatML with the default system prompt")
    func dreamText() {
        #expect(ChatTemplate.dreamInstruct.render(user: "Hi") ==
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        #expect(ChatTemplate.raw.render(user: "Hi there") == "Hi there")
    }

    @Test("the template is chosen from the model family")
    func choice() {
        #expect(ChatTemplate(modelType: "llada", instruct: true) == .lladaInstruct)
        #expect(ChatTemplate(modelType: "Dream", instruct: true) == .dreamInstruct)
        #expect(ChatTemplate(modelType: "llada", instruct: false) == .raw)
        #expect(ChatTemplate(modelType: "gpt2", instruct: true) == .raw)
    }

    @Test("LLaDA-Instruct token layout: special tokens are single ids around plain text")
    func lladaLayout() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        let ids = try tokenizer.encodeChat(user: "What is 7*6?", template: .lladaInstruct)
        func id(_ token: String) throws -> Int { try #require(tokenizer.id(forToken: token)) }
        let expected = try [id("<|startoftext|>"), id("<|start_header_id|>")] + tokenizer.encode("user")
            + [id("<|end_header_id|>")] + tokenizer.encode("\n\nWhat is 7*6?")
            + [id("<|eot_id|>"), id("<|start_header_id|>")] + tokenizer.encode("assistant")
            + [id("<|end_header_id|>")] + tokenizer.encode("\n\n")
        #expect(ids == expected)
        #expect(ids.first == tokenizer.specialTokens.beginOfText)
        #expect(ids.filter { $0 == tokenizer.specialTokens.endOfTurn }.count == 1)
        #expect(tokenizer.decode(ids) == tokenizer.renderChat(user: "What is 7*6?", template: .lladaInstruct))
    }

    @Test("Dream-Instruct token layout")
    func dreamLayout() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama3-style")
        let ids = try tokenizer.encodeChat(user: "Hi", template: .dreamInstruct)
        let start = try #require(tokenizer.id(forToken: "<|im_start|>"))
        let end = try #require(tokenizer.specialTokens.endOfTurn)
        let expected = [start] + tokenizer.encode("system\nYou are a helpful assistant.") + [end]
            + tokenizer.encode("\n") + [start] + tokenizer.encode("user\nHi") + [end]
            + tokenizer.encode("\n") + [start] + tokenizer.encode("assistant\n")
        #expect(ids == expected)
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "system\nYou are a helpful assistant.\nuser\nHi\nassistant\n")
    }

    @Test("a template whose tokens the vocabulary lacks is an error")
    func missingTokens() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2-style")
        #expect(throws: TokenizerError.missingTemplateToken(template: "dreamInstruct", token: "<|im_start|>", file: tokenizer.file)) {
            try tokenizer.encodeChat(user: "Hi", template: .dreamInstruct)
        }
        #expect(try tokenizer.encodeChat(user: "Hi", template: .raw) == tokenizer.encode("Hi"))
    }
}
