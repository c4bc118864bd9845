import Decoding
import Foundation
import Modeling
import Tokenization

/// A checkpoint folder loaded for decoding: the model, its tokenizer and the prompt layout. One
/// place for what `run` and `play` both do before a session: load, template, check the context,
/// and describe the session.
struct LoadedModel {
    let predictor: any MaskPredictor
    let tokenizer: Tokenizer
    let chat: ChatTemplate
    let answerLength: Int

    /// Loads `options.model`; the error is one line naming the folder.
    init(_ options: DecodeOptions) throws(LoadFailure) {
        do {
            (predictor, tokenizer) = try options.engine.load(modelPath: options.model)
        } catch let failure as LoadFailure {
            throw failure
        } catch let failure as EngineError {
            throw LoadFailure(message: failure.description)
        } catch {
            throw LoadFailure(message: "cannot load model \(Run.locate(options.model).path): \(error)")
        }
        do { try Self.checkAgreement(predictor, tokenizer) } catch {
            let source = predictor.descriptor.engine == nil ? Run.locate(options.model).path : "\(options.engine.address) (engine)"
            throw LoadFailure(message: "cannot load model \(source): \(error)")
        }
        chat = ChatTemplate(modelType: predictor.descriptor.family.rawValue, instruct: options.template == .chat)
        answerLength = options.genLength
    }

    /// The model and its tokenizer must agree: every id the tokenizer can produce has an embedding
    /// row, and the special ids the decoders use (mask, end of text, end of turn) are tokens the
    /// tokenizer knows, whichever file they were read from.
    static func checkAgreement(_ predictor: any MaskPredictor, _ tokenizer: Tokenizer) throws(LoadFailure) {
        let d = predictor.descriptor, file = URL(fileURLWithPath: tokenizer.file).lastPathComponent
        guard tokenizer.vocabularySize <= d.vocabularySize else {
            throw LoadFailure(message: "\(file) has ids up to \(tokenizer.vocabularySize - 1), beyond the model's \(d.vocabularySize) "
                              + "embedding rows (hint: the tokenizer belongs to another model)")
        }
        guard let mask = tokenizer.specialTokens.mask else {
            throw LoadFailure(message: "\(file) has no mask token (<|mdm_mask|> or <|mask|> in added_tokens); a diffusion model "
                              + "cannot decode without one (hint: the tokenizer belongs to an autoregressive model?)")
        }
        guard mask == d.maskTokenID else {
            throw LoadFailure(message: "the model's mask id \(d.maskTokenID) (config.json mask_token_id) is not \(file)'s mask token "
                              + "\(mask) (hint: fix mask_token_id, or use the tokenizer that came with the model)")
        }
        let specials = [("mask", d.maskTokenID), ("end-of-text", d.endOfTextID)] + (d.endOfTurnID.map { [("end-of-turn", $0)] } ?? [])
        for (name, id) in specials where tokenizer.piece(for: id) == nil {
            throw LoadFailure(message: "the \(name) id \(id) is not a token of \(file) (hint: add it to added_tokens, "
                              + "or fix mask_token_id / eos_token_id in config.json)")
        }
    }

    /// The templated prompt's ids; throws `ContextOverflow` when prompt plus canvas do not fit.
    func promptTokens(for prompt: String) throws -> [Int] {
        let tokens = try tokenizer.encodeChat(user: prompt, template: chat)
        if let problem = DecodeOptions.contextProblem(promptLength: tokens.count, genLength: answerLength,
                                                      descriptor: predictor.descriptor) {
            throw ContextOverflow(message: problem)
        }
        return tokens
    }

    func sessionSetup(promptTokens: [Int], prompt: String, seed: UInt64, recordsTimings: Bool = true) -> SessionSetup {
        let tokenizer = tokenizer
        return SessionSetup(
            promptTokens: promptTokens, promptText: prompt, answerLength: answerLength, seed: seed,
            tokenizer: URL(fileURLWithPath: tokenizer.file).lastPathComponent,
            tokenText: { tokenizer.displayPiece(for: $0) },
            detokenize: { tokenizer.decode($0, skipSpecialTokens: true) },
            writer: "dllm-play \(DllmPlay.versionNumber)", recordsTimings: recordsTimings)
    }
}

struct LoadFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Prompt plus answer canvas do not fit the model's context; the message names both and a hint.
struct ContextOverflow: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
