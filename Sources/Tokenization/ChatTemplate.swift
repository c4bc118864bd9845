/// How a user message becomes a prompt: the single-turn chat layouts of the instruct models, or
/// the raw text for base models. Render with `Tokenizer.renderChat(user:template:)` and encode the
/// result; the special tokens in it are matched as tokens.
///
/// ```swift
/// let template = ChatTemplate(modelType: "llada", instruct: true)   // .lladaInstruct
/// let ids = tokenizer.encode(tokenizer.renderChat(user: "Hi", template: template))
/// ```
public enum ChatTemplate: String, Sendable, CaseIterable {
    /// LLaDA-8B-Instruct (Llama-3 style headers), begins with BOS.
    case lladaInstruct
    /// Dream-v0-Instruct (ChatML with Qwen's default system prompt).
    case dreamInstruct
    /// Base models: the text as it is.
    case raw

    /// The template of a model family (`"llada"`, `"dream"`, as in config.json's model_type);
    /// base models and unknown families get `.raw`.
    public init(modelType: String, instruct: Bool) {
        switch (modelType.lowercased(), instruct) {
        case ("llada", true): self = .lladaInstruct
        case ("dream", true): self = .dreamInstruct
        default: self = .raw
        }
    }

    /// The prompt for one user turn, ending where the assistant's answer begins.
    public func render(user: String) -> String {
        switch self {
        case .lladaInstruct:
            return "<|startoftext|><|start_header_id|>user<|end_header_id|>\n\n\(user)<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"
        case .dreamInstruct:
            return "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n\(user)<|im_end|>\n"
                + "<|im_start|>assistant\n"
        case .raw:
            return user
        }
    }

    /// The token strings the template writes, which the tokenizer must define.
    public var requiredTokens: [String] {
        switch self {
        case .lladaInstruct: return ["<|startoftext|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
        case .dreamInstruct: return ["<|im_start|>", "<|im_end|>"]
        case .raw: return []
        }
    }
}

extension Tokenizer {
    /// The prompt text for one user message in the given template.
    public func renderChat(user: String, template: ChatTemplate) -> String {
        template.render(user: user)
    }

    /// Checks that this tokenizer defines every token the template writes.
    public func validate(_ template: ChatTemplate) throws(TokenizerError) {
        for token in template.requiredTokens where id(forToken: token) == nil {
            throw .missingTemplateToken(template: template.rawValue, token: token, file: file)
        }
    }

    /// The ids of the rendered prompt, after checking the template against the vocabulary.
    public func encodeChat(user: String, template: ChatTemplate) throws(TokenizerError) -> [Int] {
        try validate(template)
        return encode(renderChat(user: user, template: template))
    }
}
