/// The prompt plus the answer positions, with each position's state. `apply` is the only way a
/// canvas changes, so replaying a decode's events onto a fresh canvas rebuilds it exactly, and
/// the UI can show any past step by replaying up to it.
public struct Canvas: Sendable, Equatable {
    public enum CellState: String, Codable, Sendable {
        case prompt, masked, committed
        /// WINO draft: committed but still revokable.
        case drafted
        /// Written by a force-fill (Prophet early commit, d3LLM EOS fill).
        case forceFilled = "force-filled"
    }

    public struct Cell: Sendable, Equatable {
        /// The token id; the mask id while masked.
        public var token: Int
        public var state: CellState
        public var confidence: Double?
        public var entropy: Double?
        public var reason: CommitReason?
        /// Step of the last commit, draft, force-fill or remask at this position.
        public var changedAtStep: Int?
        /// The latest ghost prediction while masked.
        public var prediction: Prediction?
        /// The token a remask or force-fill replaced (shown struck through).
        public var replacedToken: Int?
        /// WINO: the latest shadow verification.
        public var verification: Verification?
    }

    public struct Block: Sendable, Equatable {
        public var span: PositionRange
        public var state: BlockChange.Kind
    }

    public let promptLength: Int
    public let maskTokenID: Int
    public private(set) var cells: [Cell]
    /// Blocks by index, with their latest state.
    public private(set) var blocks: [Int: Block] = [:]
    /// The block most recently opened or advanced to.
    public private(set) var activeBlock: Int?
    /// Canvas positions whose K/V the engine's cache holds.
    public private(set) var cachedRange: PositionRange?
    public private(set) var step = 0
    public private(set) var forwardCount = 0
    public private(set) var lastForward: Forward?
    /// Current values of parameters changed during the decode.
    public private(set) var parameters: [String: String] = [:]
    public private(set) var gauges: [String: Gauge] = [:]
    /// Positions touched by commits, drafts, force-fills and remasks in the current step.
    public private(set) var touchedThisStep: Set<Int> = []
    /// Tokens committed (or drafted, force-filled) in each step so far, for sparklines.
    public private(set) var commitsPerStep: [Int] = []

    public init(promptTokens: [Int], answerLength: Int, maskTokenID: Int) {
        promptLength = promptTokens.count
        self.maskTokenID = maskTokenID
        cells = promptTokens.map { Cell(token: $0, state: .prompt) }
            + Array(repeating: Cell(token: maskTokenID, state: .masked), count: answerLength)
        maskedCount = max(0, answerLength)
    }

    public init(header: TrajectoryHeader) {
        self.init(promptTokens: header.promptTokens, answerLength: header.answerLength, maskTokenID: header.maskTokenID)
    }

    public var count: Int { cells.count }
    public var answerRange: Range<Int> { promptLength..<cells.count }
    public var tokens: [Int] { cells.map(\.token) }
    public var maskedPositions: [Int] { answerRange.filter { cells[$0].state == .masked } }
    /// Answer positions still masked, kept up to date by every write (reports read it each step).
    public private(set) var maskedCount: Int
    public var isComplete: Bool { maskedCount == 0 }

    /// Starts step `index`: clears the per-step highlights.
    public mutating func beginStep(_ index: Int) {
        step = index
        touchedThisStep = []
        commitsPerStep.append(0)
    }

    /// Applies a whole recorded step.
    public mutating func apply(_ record: StepRecord) throws(CanvasError) {
        beginStep(record.step)
        for event in record.events { try apply(event) }
    }

    public mutating func apply(_ event: Event) throws(CanvasError) {
        switch event {
        case .forward(let forward):
            forwardCount += 1
            lastForward = forward
        case .predict(let predictions):
            for p in predictions {
                try checkAnswer(p.position, event)
                cells[p.position].prediction = p
            }
        case .commit(let commits):
            try write(commits, state: .committed, event: event, requireMasked: true)
        case .draft(let commits):
            try write(commits, state: .drafted, event: event, requireMasked: true)
        case .forceFill(let commits):
            try write(commits, state: .forceFilled, event: event, requireMasked: false)
        case .verify(let verifications):
            for v in verifications {
                try checkAnswer(v.position, event)
                cells[v.position].verification = v
            }
        case .remask(let remasks):
            for r in remasks {
                try checkAnswer(r.position, event)
                guard cells[r.position].state != .masked else { throw .remaskOfMaskedPosition(r.position) }
                maskedCount += 1
                cells[r.position] = Cell(token: maskTokenID, state: .masked, changedAtStep: step,
                                         prediction: cells[r.position].prediction, replacedToken: cells[r.position].token)
                touchedThisStep.insert(r.position)
            }
        case .block(let change):
            blocks[change.block] = Block(span: change.span, state: change.kind)
            if change.kind == .open || change.kind == .advance { activeBlock = change.block }
        case .cache(let change):
            applyCache(change)
        case .parameterChange(let change):
            parameters[change.key] = change.newValue
        case .gauge(let gauge):
            gauges[gauge.name] = gauge
        }
    }

    private mutating func write(_ commits: [Commit], state: CellState, event: Event, requireMasked: Bool) throws(CanvasError) {
        for c in commits {
            try checkAnswer(c.position, event)
            let old = cells[c.position]
            if requireMasked && old.state != .masked { throw .commitOfUnmaskedPosition(c.position, event.kind.rawValue) }
            if old.state == .masked { maskedCount -= 1 }
            cells[c.position] = Cell(token: c.token, state: state, confidence: c.confidence, entropy: c.entropy,
                                     reason: c.reason, changedAtStep: step, prediction: old.prediction,
                                     replacedToken: old.state == .masked ? nil : old.token)
            touchedThisStep.insert(c.position)
            if !commitsPerStep.isEmpty { commitsPerStep[commitsPerStep.count - 1] += 1 }
        }
    }

    private mutating func applyCache(_ change: CacheChange) {
        switch change.kind {
        case .build:
            cachedRange = change.range
        case .refresh, .append:
            if let current = cachedRange {
                cachedRange = PositionRange(min(current.lower, change.range.lower), max(current.upper, change.range.upper))
            } else {
                cachedRange = change.range
            }
        case .truncate:
            if let current = cachedRange {
                cachedRange = PositionRange(current.lower, min(current.upper, change.range.lower))
            }
        }
    }

    private func checkAnswer(_ position: Int, _ event: Event) throws(CanvasError) {
        guard answerRange.contains(position) else {
            throw .positionOutsideAnswer(position, event.kind.rawValue, answerRange)
        }
    }
}

public enum CanvasError: Error, Equatable, CustomStringConvertible {
    case positionOutsideAnswer(Int, String, Range<Int>)
    case commitOfUnmaskedPosition(Int, String)
    case remaskOfMaskedPosition(Int)

    public var description: String {
        switch self {
        case let .positionOutsideAnswer(p, kind, range):
            "\(kind) event names position \(p), outside the answer positions \(range.lowerBound)..<\(range.upperBound)"
        case let .commitOfUnmaskedPosition(p, kind):
            "\(kind) event writes position \(p), which is not masked"
        case let .remaskOfMaskedPosition(p):
            "remask event names position \(p), which is already masked"
        }
    }
}
