/// Decoder parameters as data: one table per decoder, read by `dllm-play decoders`, by `--set
/// key=value` and by the UI's parameter editor. Every entry names its key, what values it takes,
/// how far `[` / `]` move it, when a live edit takes effect, what it means and where its default
/// comes from.
///
///     static var parameterTable: [Parameter<Config>] {[
///         .number("threshold", \.threshold, in: 0...1, step: 0.05, "commit when confidence ≥ τ", source: "FD eval scripts"),
///         .length("block_length", \.blockLength, in: 1...100_000, when: .nextBlock, "block size", source: "…"),
///     ]}
import Recording

/// A parameter as the outside world sees it: text in, text out.
public struct ParameterInfo: Sendable, Equatable {
    public var key: String
    /// What values are valid, e.g. "number in 0...1", "one of: low_confidence, random".
    public var valid: String
    public var value: String
    public var defaultValue: String
    public var summary: String
    public var source: String
    /// When a live edit takes effect (next step, next block, restart).
    public var timing: ParameterTiming
}

/// One typed entry of a decoder's parameter table: its kind, range, step, choices and when an
/// edit takes effect. Values cross as text through `ParameterText`, the one parser and formatter.
public struct Parameter<Config> {
    public let key: String
    public let valid: String
    public let summary: String
    public let source: String
    public let timing: ParameterTiming
    let read: (Config) -> String
    let write: (inout Config, String) throws(DecoderError) -> Void
    /// The UI's view of the value space on a canvas with `answerLength` answer positions.
    let kind: (Config, _ answerLength: Int) -> ParameterKind
    /// What 0 stands for on a canvas (Dream's `steps = 0`), if 0 is a placeholder.
    let zeroMeans: ((_ answerLength: Int) -> Int)?

    /// A real number in a closed range; `[` / `]` move it by ±`step`.
    public static func number(_ key: String, _ path: WritableKeyPath<Config, Double>, in range: ClosedRange<Double>,
                              step: Double, when timing: ParameterTiming = .nextStep,
                              _ summary: String, source: String) -> Parameter {
        let valid = "number in \(ParameterText.format(range.lowerBound))...\(ParameterText.format(range.upperBound))"
        return Parameter(key: key, valid: valid, summary: summary, source: source, timing: timing,
                         read: { ParameterText.format($0[keyPath: path]) },
                         write: { config, text throws(DecoderError) in
                             guard let value = ParameterText.parseReal(text), range.contains(value) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         },
                         kind: { _, _ in .real(range, step: step) }, zeroMeans: nil)
    }

    /// An integer in a closed range; `[` / `]` move it by ±`step` (1 unless given, or computed from
    /// the configuration and the answer length, as LLaDA's steps move by the number of blocks).
    public static func integer(_ key: String, _ path: WritableKeyPath<Config, Int>, in range: ClosedRange<Int>,
                               stepOnCanvas: ((Config, Int) -> Int)? = nil, zeroMeansAnswerLength: Bool = false,
                               when timing: ParameterTiming = .nextStep, _ summary: String, source: String) -> Parameter {
        let valid = "integer in \(range.lowerBound)...\(range.upperBound)"
        return Parameter(key: key, valid: valid, summary: summary, source: source, timing: timing,
                         read: { String($0[keyPath: path]) },
                         write: integerWriter(key, path, range, valid: valid),
                         kind: { config, answer in .integer(range, step: max(1, stepOnCanvas?(config, answer) ?? 1)) },
                         zeroMeans: zeroMeansAnswerLength ? { $0 } : nil)
    }

    /// Parses an integer in `range` into the field at `path` (integers and block lengths).
    private static func integerWriter(_ key: String, _ path: WritableKeyPath<Config, Int>, _ range: ClosedRange<Int>,
                                      valid: String) -> (inout Config, String) throws(DecoderError) -> Void {
        { config, text throws(DecoderError) in
            guard let value = Int(text), range.contains(value) else { throw .invalidValue(key: key, value: text, valid: valid) }
            config[keyPath: path] = value
        }
    }

    /// A block length: an integer in a range that, on a canvas, must divide the answer (checked by
    /// the decoder's `start`); `[` / `]` halve and double it over those divisors.
    public static func length(_ key: String, _ path: WritableKeyPath<Config, Int>, in range: ClosedRange<Int>,
                              when timing: ParameterTiming, _ summary: String, source: String) -> Parameter {
        let valid = "integer in \(range.lowerBound)...\(range.upperBound)"
        return Parameter(key: key, valid: valid, summary: summary, source: source, timing: timing,
                         read: { String($0[keyPath: path]) },
                         write: integerWriter(key, path, range, valid: valid),
                         kind: { _, answer in .length(divisors: divisors(of: answer).filter(range.contains)) },
                         zeroMeans: nil)
    }

    /// true or false (also accepts on/off, yes/no, 1/0).
    public static func flag(_ key: String, _ path: WritableKeyPath<Config, Bool>, when timing: ParameterTiming = .nextStep,
                            _ summary: String, source: String) -> Parameter {
        let valid = "true or false"
        return Parameter(key: key, valid: valid, summary: summary, source: source, timing: timing,
                         read: { $0[keyPath: path] ? "true" : "false" },
                         write: { config, text throws(DecoderError) in
                             guard let value = ParameterText.parseFlag(text) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         },
                         kind: { _, _ in .flag }, zeroMeans: nil)
    }

    /// One of the cases of a string enum.
    public static func choice<Choice>(_ key: String, _ path: WritableKeyPath<Config, Choice>, when timing: ParameterTiming = .nextStep,
                                      _ summary: String, source: String) -> Parameter
    where Choice: RawRepresentable & CaseIterable, Choice.RawValue == String {
        let values = Choice.allCases.map(\.rawValue)
        let valid = "one of: " + values.joined(separator: ", ")
        return Parameter(key: key, valid: valid, summary: summary, source: source, timing: timing,
                         read: { $0[keyPath: path].rawValue },
                         write: { config, text throws(DecoderError) in
                             guard let value = Choice(rawValue: text) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         },
                         kind: { _, _ in .choice(values) }, zeroMeans: nil)
    }

    func info(current: Config, defaults: Config) -> ParameterInfo {
        ParameterInfo(key: key, valid: valid, value: read(current), defaultValue: read(defaults),
                      summary: summary, source: source, timing: timing)
    }

    func descriptor(current: Config, answerLength: Int) -> ParameterDescriptor {
        ParameterDescriptor(key: key, kind: kind(current, answerLength), timing: timing, value: read(current),
                            summary: summary, zeroMeans: zeroMeans?(answerLength))
    }
}

/// Every divisor of `n`, ascending.
func divisors(of n: Int) -> [Int] {
    n <= 0 ? [] : (1...n).filter { n % $0 == 0 }
}

/// Why a decoder refused a configuration or a step. One line each, naming what is valid.
public enum DecoderError: Error, Equatable, CustomStringConvertible {
    case unknownDecoder(String, valid: [String])
    case unknownParameter(key: String, decoder: String, valid: [String])
    case invalidValue(key: String, value: String, valid: String)
    case malformedSetting(String)
    case incompatible(String)
    case modelUnsupported(String)
    /// A live edit the running decode cannot take (the value itself is valid).
    case refused(String)

    public var description: String {
        switch self {
        case let .unknownDecoder(id, valid):
            "unknown decoder '\(id)'; valid decoders: \(valid.joined(separator: ", "))"
        case let .unknownParameter(key, decoder, valid):
            "decoder '\(decoder)' has no parameter '\(key)'; valid parameters: \(valid.joined(separator: ", "))"
        case let .invalidValue(key, value, valid):
            "invalid value '\(value)' for \(key); expected \(valid)"
        case let .malformedSetting(text):
            "malformed setting '\(text)'; expected key=value"
        case let .incompatible(message):
            message
        case let .modelUnsupported(message):
            message
        case let .refused(message):
            message
        }
    }
}
