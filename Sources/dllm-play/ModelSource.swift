import Foundation
import Modeling
import Tokenization

/// What `--model` names: an HF checkpoint folder or a `.gguf` file, loaded with its tokenizer
/// (the folder's tokenizer.json, or the file's tokenizer.ggml.* keys). One place so that play,
/// run, bench and model-info accept the same things.
enum ModelSource {
    static func isGGUF(_ url: URL) -> Bool { url.pathExtension.lowercased() == "gguf" }

    static func load(_ url: URL) throws -> (model: TransformerModel, tokenizer: Tokenizer) {
        if isGGUF(url) {
            let model = try TransformerModel.load(gguf: url)
            guard let file = model.ggufFile else { throw ModelError.fileUnreadable(path: url.path, reason: "not read as GGUF") }
            return (model, try GGUFTokenizer.load(file))
        }
        return (try TransformerModel.load(directory: url), try Tokenizer.load(from: url))
    }

    /// The tokenizer alone (for `tokenize`).
    static func tokenizer(_ url: URL) throws -> Tokenizer {
        isGGUF(url) ? try GGUFTokenizer.load(GGUFFile(path: url.path)) : try Tokenizer.load(from: url)
    }
}
