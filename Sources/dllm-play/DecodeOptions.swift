import ArgumentParser
import Decoding
import Modeling

/// The options every decoding command shares (`run`, `play`): which model, which decoder with
/// which parameters, the seed, the canvas length and the prompt layout.
struct DecodeOptions: ParsableArguments {
    @Option(help: "HF checkpoint folder or .gguf file (default: Models/llada-mini).")
    var model = "Models/llada-mini"
    @Option(help: "Decoder id (see `dllm-play decoders`).")
    var decoder = DecoderID("fast-dllm")
    @Option(name: .customLong("set"), help: "A decoder parameter, key=value (repeatable).")
    var settings: [String] = []
    @Option(help: "RNG seed.")
    var seed: UInt64 = 0
    @Option(name: .customLong("gen-length"), help: "Answer canvas length in tokens.")
    var genLength = 64
    @Option(help: "Prompt layout: chat (the model's instruct template) or raw.")
    var template = PromptLayout.chat
    @OptionGroup var engine: EngineOptions

    /// Ranges and decoder settings, checked before anything is loaded: a bad value is a usage error.
    func validate() throws {
        try OptionRange.check(genLength, OptionRange.tokens, "--gen-length")
        do { _ = try DecoderRegistry.make(decoder.id, settings: settings, answerLength: genLength) } catch {
            throw ValidationError(error.description)
        }
    }

    /// One line when prompt plus canvas do not fit the model's context, else nil.
    static func contextProblem(promptLength: Int, genLength: Int, descriptor: ModelDescriptor) -> String? {
        let (total, overflow) = promptLength.addingReportingOverflow(genLength)
        guard overflow || total > descriptor.maxSequenceLength else { return nil }
        return "prompt (\(promptLength) tokens) + --gen-length \(genLength) = \(total) positions, beyond \(descriptor.name)'s "
            + "context of \(descriptor.maxSequenceLength) (hint: --gen-length \(max(1, descriptor.maxSequenceLength - promptLength)) or less)"
    }
}
