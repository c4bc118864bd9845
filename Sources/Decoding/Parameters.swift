/// Decoder parameters as data: one table per decoder, read by `dllm-play decoders`, by `--set
/// key=value` and by the UI's parameter editor. Every entry names its key, what values it takes,
/// what it means and where its default comes from.
///
///     static var parameterTable: [Parameter<Config>] {[
///         .number("threshold", \.threshold, in: 0...1, "commit when confidence ≥ τ", source: "FD eval scripts"),
///     ]}

/// A parameter as the outside world sees it: text in, text out.
public struct ParameterInfo: Sendable, Equatable {
    public var key: String
    /// What values are valid, e.g. "number in 0...1", "one of: low_confidence, random".
    public var valid: String
    public var value: String
    public var defaultValue: String
    public var summary: String
    public var source: String
}

/// One typed entry of a decoder's parameter table.
public struct Parameter<Config> {
    public let key: String
    public let valid: String
    public let summary: String
    public let source: String
    let read: (Config) -> String
    let write: (inout Config, String) throws(DecoderError) -> Void

    /// A real number in a closed range.
    public static func number(_ key: String, _ path: WritableKeyPath<Config, Double>, in range: ClosedRange<Double>,
                              _ summary: String, source: String) -> Parameter {
        let valid = "number in \(format(range.lowerBound))...\(format(range.upperBound))"
        return Parameter(key: key, valid: valid, summary: summary, source: source,
                         read: { format($0[keyPath: path]) },
                         write: { config, text throws(DecoderError) in
                             guard let value = Double(text), value.isFinite, range.contains(value) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         })
    }

    /// An integer in a closed range.
    public static func integer(_ key: String, _ path: WritableKeyPath<Config, Int>, in range: ClosedRange<Int>,
                               _ summary: String, source: String) -> Parameter {
        let valid = "integer in \(range.lowerBound)...\(range.upperBound)"
        return Parameter(key: key, valid: valid, summary: summary, source: source,
                         read: { String($0[keyPath: path]) },
                         write: { config, text throws(DecoderError) in
                             guard let value = Int(text), range.contains(value) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         })
    }

    /// true or false (also accepts on/off, yes/no, 1/0).
    public static func flag(_ key: String, _ path: WritableKeyPath<Config, Bool>,
                            _ summary: String, source: String) -> Parameter {
        let valid = "true or false"
        return Parameter(key: key, valid: valid, summary: summary, source: source,
                         read: { $0[keyPath: path] ? "true" : "false" },
                         write: { config, text throws(DecoderError) in
                             switch text.lowercased() {
                             case "true", "on", "yes", "1": config[keyPath: path] = true
                             case "false", "off", "no", "0": config[keyPath: path] = false
                             default: throw .invalidValue(key: key, value: text, valid: valid)
                             }
                         })
    }

    /// One of the cases of a string enum.
    public static func choice<Choice>(_ key: String, _ path: WritableKeyPath<Config, Choice>,
                                      _ summary: String, source: String) -> Parameter
    where Choice: RawRepresentable & CaseIterable, Choice.RawValue == String {
        let valid = "one of: " + Choice.allCases.map(\.rawValue).joined(separator: ", ")
        return Parameter(key: key, valid: valid, summary: summary, source: source,
                         read: { $0[keyPath: path].rawValue },
                         write: { config, text throws(DecoderError) in
                             guard let value = Choice(rawValue: text) else {
                                 throw .invalidValue(key: key, value: text, valid: valid)
                             }
                             config[keyPath: path] = value
                         })
    }

    func info(current: Config, defaults: Config) -> ParameterInfo {
        ParameterInfo(key: key, valid: valid, value: read(current), defaultValue: read(defaults),
                      summary: summary, source: source)
    }
}

/// Shortest text that reads back as the same Double ("0.9", "1e-12", "7.5").
func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
}

/// Why a decoder refused a configuration or a step. One line each, naming what is valid.
public enum DecoderError: Error, Equatable, CustomStringConvertible {
    case unknownDecoder(String, valid: [String])
    case unknownParameter(key: String, decoder: String, valid: [String])
    case invalidValue(key: String, value: String, valid: String)
    case malformedSetting(String)
    case incompatible(String)
    case modelUnsupported(String)

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
        }
    }
}
