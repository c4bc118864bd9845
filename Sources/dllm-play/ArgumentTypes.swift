import ArgumentParser
import Decoding
import Recording
import Tokenization

extension ChatTemplate: ExpressibleByArgument {}

/// A decoder id from the registry: the parser rejects anything else with the list of valid ids,
/// as a usage error, before any work starts.
struct DecoderID: ExpressibleByArgument, Hashable, CustomStringConvertible {
    let id: String

    init?(argument: String) {
        guard DecoderRegistry.ids.contains(argument) else { return nil }
        id = argument
    }

    init(_ id: String) { self.id = id }

    static var allValueStrings: [String] { DecoderRegistry.ids }
    var description: String { id }
    var defaultValueDescription: String { id }
}

/// How a prompt is laid out before tokenizing.
enum PromptLayout: String, ExpressibleByArgument, CaseIterable {
    /// The model's instruct template.
    case chat
    case raw
}

/// Range checks shared by every command's `validate()`: done before any arithmetic, so no value
/// a user can type overflows or allocates without bound.
enum OptionRange {
    /// Canvas lengths (and forward lengths for estimates): at least one token, at most the largest
    /// canvas a trajectory may declare.
    static let tokens = 1...TrajectoryParser.maximumCanvasLength

    static func check(_ value: Int, _ range: ClosedRange<Int>, _ flag: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
    }
}
