import Foundation

/// Why a tokenizer could not be loaded or used. Every case names the file it concerns, and the
/// description reads as one line: what went wrong, where, what was expected, and what to try.
///
/// ```swift
/// do { _ = try Tokenizer.load(from: url) } catch { print(error) }  // one readable line
/// ```
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or folder could not be read at all.
    case unreadable(file: String, reason: String)
    /// A model folder holds no `tokenizer.json`.
    case noTokenizerFile(directory: String)
    /// The bytes are not JSON.
    case invalidJSON(file: String, reason: String)
    /// The JSON is well formed but a value is missing or has the wrong shape.
    case malformed(file: String, place: String, expected: String, found: String, hint: String)
    /// The file asks for something this reader does not implement (rather than guessing).
    case unsupportedFeature(feature: String, file: String, hint: String)
    /// The model declares no mask token; masked diffusion cannot run without one.
    case noMaskToken(file: String)
    /// A chat template needs a token string the vocabulary lacks.
    case missingTemplateToken(template: String, token: String, file: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)"
        case let .noTokenizerFile(directory):
            return "no tokenizer.json in \(directory) (hint: point --model at an HF model folder or at a tokenizer.json file)"
        case let .invalidJSON(file, reason):
            return "\(file) is not valid JSON: \(reason) (hint: is the download complete? a Git LFS pointer?)"
        case let .malformed(file, place, expected, found, hint):
            return "\(file): at \(place) expected \(expected), found \(found) (hint: \(hint))"
        case let .unsupportedFeature(feature, file, hint):
            return "unsupported tokenizer feature \(feature) in \(file) (\(hint))"
        case let .noMaskToken(file):
            return "\(file) has no mask token (looked for <|mdm_mask|>, <|mask|>, mask_token in tokenizer_config.json and mask_token_id in config.json); a masked-diffusion model needs one"
        case let .missingTemplateToken(template, token, file):
            return "chat template \(template) needs the token \(token), which \(file) does not define (hint: use the raw template for this model)"
        }
    }
}
