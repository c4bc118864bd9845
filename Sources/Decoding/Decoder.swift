import Kernels
import Modeling
import Recording

/// A denoising policy: one conforming type per paper, one file each, in `Strategies/`.
///
/// A decoder only *reads* the canvas and only *emits* events; the `Session` applies them with
/// `Canvas.apply`, which is the only way a canvas changes. A decoder may keep its own state
/// between steps (block index, WINO's `last_accept`, R²'s streaks, d3LLM's block table), which
/// `start` resets.
///
///     let decoder = try DecoderRegistry.make("fast-dllm", settings: ["threshold=0.8"])
///     try decoder.start(canvas: canvas, descriptor: predictor.descriptor)
///     while let events = try decoder.step(canvas: canvas, predictor: predictor, rng: &rng) { ... }
public protocol Decoder: AnyObject {
    /// Stable id used on the command line, in trajectory headers and in the UI ("fast-dllm").
    var id: String { get }
    /// Every parameter with its current value, default, valid values and source.
    var parameters: [ParameterInfo] { get }
    /// Changes one parameter. Returns the change, or nil when the value is unchanged.
    /// - Throws: `DecoderError.unknownParameter` or `.invalidValue`, naming the valid choices.
    func set(key: String, value: String) throws(DecoderError) -> ParameterChange?
    /// Every parameter typed for the UI on a canvas with `answerLength` answer positions.
    func descriptors(answerLength: Int) -> [ParameterDescriptor]
    /// Checks, without applying it, that the decode in progress on `canvas` (after `start` and at
    /// least one step) can take this change at its timing.
    /// - Throws: `DecoderError.refused` with a one-line reason, or `.invalidValue`.
    func checkLive(key: String, value: String, canvas: Canvas) throws(DecoderError)
    /// Checks the configuration against the canvas and the model, and resets all decoding state.
    /// Called before the first step of every decode (and on restart).
    func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError)
    /// Runs one step: usually one forward pass and the commits it allows. Returns the step's
    /// events in application order, or nil when the decode is finished.
    func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]?
}

extension Decoder {
    /// The whole configuration as text, every key (for trajectory headers).
    public var configuration: [String: String] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.key, $0.value) })
    }
}

/// A decoder whose parameters are a nested `Config` struct described by a parameter table.
/// Conformers get `id`, `parameters` and `set` for free.
public protocol ConfigurableDecoder: Decoder {
    associatedtype Config
    static var decoderID: String { get }
    /// One line on what the decoder does and which paper it implements.
    static var summary: String { get }
    static var defaultConfig: Config { get }
    static var parameterTable: [Parameter<Config>] { get }
    var config: Config { get set }
    init(config: Config)
    /// Why the decode in progress on `canvas` cannot take `updated` (one line), or nil. Block
    /// lengths that do not divide the answer are refused before this is asked.
    func liveProblem(_ updated: Config, key: String, canvas: Canvas) -> String?
}

// MARK: - Default implementations

extension ConfigurableDecoder {
    public var id: String { Self.decoderID }

    public var parameters: [ParameterInfo] {
        Self.parameterTable.map { $0.info(current: config, defaults: Self.defaultConfig) }
    }

    public func set(key: String, value: String) throws(DecoderError) -> ParameterChange? {
        var updated = config
        let parameter = try Self.parameter(key)
        let old = parameter.read(config)
        try parameter.write(&updated, value)
        let new = parameter.read(updated)
        config = updated
        return old == new ? nil : ParameterChange(key: key, oldValue: old, newValue: new)
    }

    public func descriptors(answerLength: Int) -> [ParameterDescriptor] {
        Self.parameterTable.map { $0.descriptor(current: config, answerLength: answerLength) }
    }

    public func liveProblem(_ updated: Config, key: String, canvas: Canvas) -> String? { nil }

    public func checkLive(key: String, value: String, canvas: Canvas) throws(DecoderError) {
        let parameter = try Self.parameter(key)
        var updated = config
        try parameter.write(&updated, value)
        let answer = canvas.answerRange.count
        if case .length(let valid) = parameter.kind(updated, answer), let length = Int(parameter.read(updated)),
           !valid.contains(length) {
            throw .refused("\(key) \(length) does not divide the gen length \(answer); valid: "
                           + valid.map(String.init).joined(separator: ", "))
        }
        if let problem = liveProblem(updated, key: key, canvas: canvas) { throw .refused(problem) }
    }

    /// Checks `key=value` without any instance (the UI validates before queueing a change).
    public static func check(key: String, value: String) throws(DecoderError) {
        var scratch = defaultConfig
        try parameter(key).write(&scratch, value)
    }

    static func parameter(_ key: String) throws(DecoderError) -> Parameter<Config> {
        guard let parameter = parameterTable.first(where: { $0.key == key }) else {
            throw .unknownParameter(key: key, decoder: decoderID, valid: parameterTable.map(\.key))
        }
        return parameter
    }
}
