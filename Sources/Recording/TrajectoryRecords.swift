/// The three kinds of line in a trajectory file (design §6): one header, one record per step,
/// one end record. JSON Lines; written append-only and flushed each step.

/// Line 1: everything needed to replay the decode without the model, and to reproduce it with it.
public struct TrajectoryHeader: Codable, Sendable, Equatable {
    public static let formatName = "dllm-play-trajectory"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// Model folder name, family ("llada" / "dream") and a hash of its weights.
    public var model: ModelIdentity
    /// Tokenizer identity (file name and hash).
    public var tokenizer: String
    /// Decoder id ("fast-dllm", ...) and its full configuration, every key, as text.
    public var decoder: String
    public var config: [String: String]
    public var seed: UInt64
    public var promptText: String
    public var promptTokens: [Int]
    /// Number of token ids the model knows, when the writer declares it: every id in the file
    /// must be below it. Absent in files that predate it (ids are then only checked to be ≥ 0).
    public var vocabularySize: Int?
    /// Prompt plus answer positions.
    public var canvasLength: Int
    public var maskTokenID: Int
    /// Ids that end the useful answer (end-of-text, end-of-turn), for TPF.
    public var stopTokenIDs: [Int]
    /// Display text of the prompt's token ids (steps add the texts of ids they introduce).
    public var tokenTexts: [String: String]
    /// The program that wrote the file, e.g. "dllm-play 0.1.0".
    public var writer: String
    /// Set when this decode is a branch of another one, re-simulated up to `step` (absent otherwise).
    public var branch: BranchOrigin?
    /// The engine that ran the forward passes when it was not the local one, as it described
    /// itself (docs/engine-protocol.md); absent for the local engine and in older files.
    public var engine: String?

    public init(model: ModelIdentity, tokenizer: String, decoder: String, config: [String: String], seed: UInt64,
                promptText: String, promptTokens: [Int], canvasLength: Int, maskTokenID: Int,
                stopTokenIDs: [Int], tokenTexts: [String: String], writer: String, branch: BranchOrigin? = nil,
                vocabularySize: Int? = nil, engine: String? = nil) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.model = model
        self.tokenizer = tokenizer
        self.decoder = decoder
        self.config = config
        self.seed = seed
        self.promptText = promptText
        self.promptTokens = promptTokens
        self.canvasLength = canvasLength
        self.maskTokenID = maskTokenID
        self.stopTokenIDs = stopTokenIDs
        self.tokenTexts = tokenTexts
        self.writer = writer
        self.branch = branch
        self.vocabularySize = vocabularySize
        self.engine = engine
    }

    public var answerLength: Int { canvasLength - promptTokens.count }
}

/// Where a branch left its parent: the parent's trajectory file (when it has one) and the step
/// through which the branch re-simulated the parent, recorded edits included.
public struct BranchOrigin: Codable, Sendable, Equatable {
    public var parentFile: String?
    public var step: Int
    public init(parentFile: String?, step: Int) {
        self.parentFile = parentFile
        self.step = step
    }
}

public struct ModelIdentity: Codable, Sendable, Equatable {
    public var name: String
    public var family: String
    public var weightsHash: String
    public init(name: String, family: String, weightsHash: String) {
        self.name = name
        self.family = family
        self.weightsHash = weightsHash
    }
}

/// One decode step: the events in the order they were applied.
public struct StepRecord: Codable, Sendable, Equatable {
    /// 1-based step number.
    public var step: Int
    public var events: [Event]
    /// Display text of token ids first seen in this step (commits and ghost predictions).
    public var tokenTexts: [String: String]
    /// Wall time of the step in milliseconds (the only field that differs between identical runs).
    public var milliseconds: Double

    public init(step: Int, events: [Event], tokenTexts: [String: String] = [:], milliseconds: Double = 0) {
        self.step = step
        self.events = events
        self.tokenTexts = tokenTexts
        self.milliseconds = milliseconds
    }
}

/// Last line: why the decode ended and its totals.
public struct EndRecord: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable { case finished, earlyStop = "early-stop", cancelled, error }
    public var reason: Reason
    public var steps: Int
    public var nfe: Int
    /// Useful answer tokens: up to the first stop token, padding dropped (decoders.md §1.1).
    public var usefulTokens: Int
    public var tokensPerForward: Double
    public var seconds: Double
    public var answerText: String
    public var message: String?

    public init(reason: Reason, steps: Int, nfe: Int, usefulTokens: Int, seconds: Double, answerText: String, message: String? = nil) {
        self.reason = reason
        self.steps = steps
        self.nfe = nfe
        self.usefulTokens = usefulTokens
        self.tokensPerForward = nfe > 0 ? Double(usefulTokens) / Double(nfe) : 0
        self.seconds = seconds
        self.answerText = answerText
        self.message = message
    }
}
