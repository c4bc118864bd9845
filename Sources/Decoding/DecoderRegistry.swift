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

    /// A decoder with its defaults, then each `key=value` setting applied in order.
    public static func make(_ id: String, settings: [String] = []) throws(DecoderError) -> any Decoder {
        let decoder = try entry(id).make()
        for setting in settings {
            let (key, value) = try parseSetting(setting)
            _ = try decoder.set(key: key, value: value)
        }
        return decoder
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
        let session = try Session(decoder: try DecoderRegistry.make(decoderID, settings: settings), predictor: predictor, setup: setup)
        let end = session.run()
        return (end, session.canvas)
    }
}
