import Foundation
import Modeling
import Recording

/// Every decoder the program knows, by id: what the CLI's `--decoder`, `dllm-play decoders` and
/// the UI's decoder switch read.
///
///     let decoder = try DecoderRegistry.make("fast-dllm", settings: ["threshold=0.8", "cache=dual"])
public struct DecoderEntry: Sendable {
    public let id: String
    public let summary: String
    /// Every parameter at its default, with valid values and sources.
    public let parameters: [ParameterInfo]
    /// Validates `key=value` without an instance.
    public let check: @Sendable (String, String) throws(DecoderError) -> Void
    let make: @Sendable () -> any Decoder

    init<D: ConfigurableDecoder>(_ type: D.Type) {
        id = D.decoderID
        summary = D.summary
        parameters = D.parameterTable.map { $0.info(current: D.defaultConfig, defaults: D.defaultConfig) }
        check = { key, value throws(DecoderError) in try D.check(key: key, value: value) }
        make = { D(config: D.defaultConfig) }
    }
}

public enum DecoderRegistry {
    /// In the order the UI and `dllm-play decoders` list them.
    public static let entries: [DecoderEntry] = [
        DecoderEntry(LLaDA.self),
        DecoderEntry(FastDLLM.self),
        DecoderEntry(D3LLM.self),
        DecoderEntry(WINO.self),
        DecoderEntry(R2DLLM.self),
        DecoderEntry(Dream.self),
        DecoderEntry(DParallel.self),
        DecoderEntry(Prophet.self),
    ]

    public static var ids: [String] { entries.map(\.id) }

    public static func entry(_ id: String) throws(DecoderError) -> DecoderEntry {
        guard let entry = entries.first(where: { $0.id == id }) else { throw .unknownDecoder(id, valid: ids) }
        return entry
    }

    /// A decoder with its defaults, then each `key=value` setting applied in order. With an
    /// `answerLength`, defaults the settings leave are first fitted to that canvas (`fittedDefaults`).
    public static func make(_ id: String, settings: [String] = [], answerLength: Int? = nil) throws(DecoderError) -> any Decoder {
        let decoder = try entry(id).make()
        let fitted = try answerLength.map { length throws(DecoderError) in try fittedDefaults(id, settings: settings, answerLength: length) } ?? []
        for setting in fitted + settings {
            let (key, value) = try parseSetting(setting)
            _ = try decoder.set(key: key, value: value)
        }
        return decoder
    }

    /// The one rule that makes every decoder's defaults run on any canvas, used by `run`, `play`,
    /// `bench`, compare lanes and the playground's decoder switch. For each parameter the settings
    /// do not name: a `block_length` that does not divide the answer becomes the divisor of the
    /// answer nearest to it (a block longer than the canvas shrinks to the canvas), and a step
    /// budget (`steps`) becomes one token per step, the answer length. Returns those settings.
    ///
    ///     DecoderRegistry.fittedDefaults("wino", settings: [], answerLength: 64)   // ["block_length=64"]
    public static func fittedDefaults(_ id: String, settings: [String], answerLength: Int) throws(DecoderError) -> [String] {
        var named: Set<String> = []
        for setting in settings { named.insert(try parseSetting(setting).0) }
        var fitted: [String] = []
        for parameter in try entry(id).parameters where !named.contains(parameter.key) {
            switch parameter.key {
            case "block_length":
                guard let length = Int(parameter.defaultValue) else { continue }
                let fit = fittedBlockLength(length, answerLength: answerLength)
                if fit != length { fitted.append("block_length=\(fit)") }
            case "steps":
                if parameter.defaultValue != String(answerLength) { fitted.append("steps=\(answerLength)") }
            default:
                continue
            }
        }
        return fitted
    }

    /// `length` when it divides `answerLength`, else the nearest divisor (the smaller on a tie).
    public static func fittedBlockLength(_ length: Int, answerLength: Int) -> Int {
        guard answerLength > 0 else { return length }
        if length >= answerLength { return answerLength }
        if answerLength % length == 0 { return length }
        return divisors(of: answerLength).min { abs($0 - length) < abs($1 - length) } ?? answerLength
    }

    /// Splits `key=value` (spaces around either side are ignored).
    public static func parseSetting(_ text: String) throws(DecoderError) -> (String, String) {
        guard let equals = text.firstIndex(of: "=") else { throw .malformedSetting(text) }
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, !value.isEmpty else { throw .malformedSetting(text) }
        return (key, value)
    }
}

extension Session {
    /// One headless decode, start to end (the bench's and `run`'s common case).
    ///
    ///     let (end, canvas) = try Session.decode("fast-dllm", settings: ["threshold=0.8"], predictor: model, setup: setup)
    public static func decode(_ decoderID: String, settings: [String] = [], predictor: any MaskPredictor,
                              setup: SessionSetup) throws(DecoderError) -> (end: EndRecord, canvas: Canvas) {
        let decoder = try DecoderRegistry.make(decoderID, settings: settings, answerLength: setup.answerLength)
        let session = try Session(decoder: decoder, predictor: predictor, setup: setup)
        let end = session.run()
        return (end, session.canvas)
    }
}
