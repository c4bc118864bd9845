import Foundation

/// When a live edit of a parameter reaches the decode.
public enum ParameterTiming: String, Sendable, Equatable, CaseIterable {
    /// Read on every step: the next step uses it.
    case nextStep = "next step"
    /// Read when a block opens: the block in progress finishes with the old value.
    case nextBlock = "next block"
    /// Fixed when the decode starts (a block layout, a cache variant): changing it restarts the decode.
    case restart

    /// One letter for the parameter list (s, b, r).
    public var tag: String {
        switch self {
        case .nextStep: "s"
        case .nextBlock: "b"
        case .restart: "r"
        }
    }
}

/// What values a parameter takes and how `[` / `]` move through them.
public enum ParameterKind: Sendable, Equatable {
    /// A real number in a closed range, moved by ±`step`.
    case real(ClosedRange<Double>, step: Double)
    /// An integer in a closed range, moved by ±`step`.
    case integer(ClosedRange<Int>, step: Int)
    /// A length that must divide the answer: moved by ×2 / ÷2 over `divisors` (the valid values on
    /// this canvas, ascending).
    case length(divisors: [Int])
    case flag
    case choice([String])
}

/// One decoder parameter as the UI sees it: typed, with its current value, and when an edit takes
/// effect. Built by the decoding side for a given canvas; the UI never guesses from text.
///
///     let next = descriptor.nudged(up: true)   // .success("0.85") or .failure(reason)
public struct ParameterDescriptor: Sendable, Equatable {
    public var key: String
    public var kind: ParameterKind
    public var timing: ParameterTiming
    /// The current value, formatted by `ParameterText`.
    public var value: String
    public var summary: String
    /// What 0 stands for on this canvas, when 0 is a placeholder (Dream's `steps = 0` = answer length).
    public var zeroMeans: Int?

    public init(key: String, kind: ParameterKind, timing: ParameterTiming, value: String, summary: String = "",
                zeroMeans: Int? = nil) {
        self.key = key
        self.kind = kind
        self.timing = timing
        self.value = value
        self.summary = summary
        self.zeroMeans = zeroMeans
    }

    /// The value one nudge away from `current` (default: `value`), or a one-line reason why there is none.
    public func nudged(up: Bool, from current: String? = nil) -> Result<String, ParameterRefusal> {
        let text = current ?? value
        let bad = ParameterRefusal("\(key) = \(text) is not a valid value")
        switch kind {
        case let .real(range, step):
            guard let number = ParameterText.parseReal(text) else { return .failure(bad) }
            let target = ParameterText.snap(number + (up ? step : -step), step: step)
            let clamped = min(max(target, range.lowerBound), range.upperBound)
            guard clamped != number else { return .failure(limit(up, ParameterText.format(number))) }
            return .success(ParameterText.format(clamped))
        case let .integer(range, step):
            guard var number = Int(text) else { return .failure(bad) }
            if number == 0, let zeroMeans { number = zeroMeans }
            var target = number + (up ? step : -step)
            if step > 1 { target = (up ? number / step + 1 : (number + step - 1) / step - 1) * step }
            let clamped = min(max(target, range.lowerBound == 0 && zeroMeans != nil ? 1 : range.lowerBound), range.upperBound)
            guard clamped != number else { return .failure(limit(up, text)) }
            return .success(String(clamped))
        case let .length(divisors):
            guard let number = Int(text) else { return .failure(bad) }
            let target = up ? divisors.first { $0 >= number * 2 } ?? divisors.last { $0 > number }
                            : divisors.last { $0 * 2 <= number } ?? divisors.last { $0 < number }
            guard let target else { return .failure(limit(up, text)) }
            return .success(String(target))
        case .flag:
            guard let flag = ParameterText.parseFlag(text) else { return .failure(bad) }
            return .success(flag ? "false" : "true")
        case let .choice(choices):
            guard let index = choices.firstIndex(of: text), choices.count > 1 else { return .failure(bad) }
            return .success(choices[(index + (up ? 1 : choices.count - 1)) % choices.count])
        }
    }

    private func limit(_ up: Bool, _ text: String) -> ParameterRefusal {
        ParameterRefusal("\(key) = \(text) is already at its \(up ? "largest" : "smallest") valid value")
    }

    /// "number 0…1, ±0.05" and the like, for the status line.
    public var validText: String {
        switch kind {
        case let .real(range, step):
            "\(ParameterText.format(range.lowerBound))…\(ParameterText.format(range.upperBound)), ±\(ParameterText.format(step))"
        case let .integer(range, step): "\(range.lowerBound)…\(range.upperBound), ±\(step)"
        case let .length(divisors): "divisors of the answer: " + divisors.map(String.init).joined(separator: " ")
        case .flag: "true/false"
        case let .choice(choices): choices.joined(separator: "/")
        }
    }
}

/// Why an edit or a nudge was not made: one line for the status line.
public struct ParameterRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The one text form of parameter values: what tables write, headers record, `--set` parses and
/// the UI shows. Reals print as the shortest text that reads back as the same Double.
public enum ParameterText {
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    public static func parseReal(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    public static func parseFlag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "on", "yes", "1": true
        case "false", "off", "no", "0": false
        default: nil
        }
    }

    /// `value` rounded to a whole number of `step`s, so 0.9 − 0.05 reads "0.85", not "0.8500000000000001".
    static func snap(_ value: Double, step: Double) -> Double {
        guard step > 0 else { return value }
        let snapped = (value / step).rounded() * step
        // Round away the binary noise of the product at 12 significant digits.
        return Double(String(format: "%.12g", snapped)) ?? snapped
    }
}
