import Foundation
import Kernels
import Modeling
import Recording

/// What a session hands to its consumers, in order: one header, one record per step, one end —
/// exactly the lines of the trajectory it describes, so a consumer can write them as they come.
public typealias SessionOutput = TrajectoryLine

/// Everything about a decode that is not the decoder or the model: the prompt, the answer
/// length, the seed, and how token ids become text (from the tokenizer; optional in tests).
public struct SessionSetup: Sendable {
    public var promptTokens: [Int]
    public var promptText: String
    public var answerLength: Int
    public var seed: UInt64
    /// Tokenizer identity for the header (file name and hash).
    public var tokenizer: String
    /// Display text of one token id.
    public var tokenText: @Sendable (Int) -> String
    /// Text of an answer (cut at the first stop token already).
    public var detokenize: @Sendable ([Int]) -> String
    public var writer: String
    /// Safety limit on steps per decode (d3LLM stops at 10 000 NFE, decoders.md §4.4 step 9).
    public var maxSteps: Int
    /// False zeroes every wall time (steps, forwards, total) so reruns give byte-identical records.
    public var recordsTimings: Bool
    /// Recorded in the header when this decode branches another one.
    public var branch: BranchOrigin?

    public init(promptTokens: [Int], promptText: String = "", answerLength: Int, seed: UInt64,
                tokenizer: String = "", tokenText: @escaping @Sendable (Int) -> String = { "<\($0)>" },
                detokenize: @escaping @Sendable ([Int]) -> String = { $0.map(String.init).joined(separator: " ") },
                writer: String = "dllm-play", maxSteps: Int = 10_000, recordsTimings: Bool = true) {
        self.promptTokens = promptTokens
        self.promptText = promptText
        self.answerLength = answerLength
        self.seed = seed
        self.tokenizer = tokenizer
        self.tokenText = tokenText
        self.detokenize = detokenize
        self.writer = writer
        self.maxSteps = maxSteps
        self.recordsTimings = recordsTimings
    }
}

/// The one decode loop. Owns the canvas, the decoder, the predictor and the RNG; asks the decoder
/// for one step at a time, applies its events with `Canvas.apply`, and hands a `StepRecord` to
/// every consumer. Synchronous and single-threaded: `SessionController` runs it on its own thread
/// for the UI; the CLI and tests call `run()` or `step()` directly.
///
///     let session = try Session(decoder: decoder, predictor: model, setup: setup)
///     session.addConsumer { output in print(output) }
///     let end = session.run()
public final class Session {
    public private(set) var canvas: Canvas
    public private(set) var decoder: any Decoder
    public let predictor: any MaskPredictor
    public private(set) var setup: SessionSetup
    public private(set) var header: TrajectoryHeader
    public private(set) var endRecord: EndRecord?
    private var rng: SplitMix64
    private var consumers: [(SessionOutput) -> Void] = []
    private var pendingChanges: [ParameterChange] = []
    private var seenTokens: Set<Int> = []
    private var started = false
    private var forceFilled = false
    private var elapsed = 0.0

    /// - Throws: `DecoderError` when the decoder's configuration does not fit the canvas or model.
    public init(decoder: any Decoder, predictor: any MaskPredictor, setup: SessionSetup) throws(DecoderError) {
        self.decoder = decoder
        self.predictor = predictor
        self.setup = setup
        let descriptor = predictor.descriptor
        canvas = Canvas(promptTokens: setup.promptTokens, answerLength: setup.answerLength, maskTokenID: descriptor.maskTokenID)
        rng = SplitMix64(seed: setup.seed)
        header = Session.makeHeader(decoder: decoder, descriptor: descriptor, setup: setup)
        try begin()
    }

    public func addConsumer(_ consumer: @escaping (SessionOutput) -> Void) {
        consumers.append(consumer)
        if started { consumer(.header(header)) }
    }

    public var isFinished: Bool { endRecord != nil }
    public var stopTokenIDs: [Int] { Session.stopTokens(predictor.descriptor) }

    /// Changes a decoder parameter; the change is recorded as a `parameterChange` event at the
    /// start of the next step. Before the first step the decode starts over with it, exactly as
    /// if it had been given at start (`run --set`); afterwards it takes effect at its timing.
    /// - Throws: `DecoderError` when the key or value is invalid, or `.refused` when the decode in
    ///   progress cannot take it (a restart-timed parameter, a step budget already spent); then
    ///   nothing changes and nothing is recorded.
    public func set(key: String, value: String) throws(DecoderError) {
        guard endRecord == nil else { throw .refused("the decode has ended; restart to use \(key)=\(value)") }
        guard let info = decoder.parameters.first(where: { $0.key == key }) else {
            _ = try decoder.set(key: key, value: value)  // throws the unknown-parameter error
            return
        }
        if canvas.step == 0 {
            try checkStart(with: key, value)
            if let change = try decoder.set(key: key, value: value) {
                pendingChanges.append(change)
                predictor.resetCache()
                try decoder.start(canvas: canvas, descriptor: predictor.descriptor)
            }
            return
        }
        if info.timing == .restart {
            throw .refused("\(key) is fixed when the decode starts; it takes effect on restart")
        }
        try decoder.checkLive(key: key, value: value, canvas: canvas)
        if let change = try decoder.set(key: key, value: value) { pendingChanges.append(change) }
    }

    /// The parameters the UI edits, typed for this canvas, with their current values.
    public var parameterDescriptors: [ParameterDescriptor] { decoder.descriptors(answerLength: setup.answerLength) }

    /// Throws what `start` would throw for the current configuration with `key=value`, changing nothing.
    private func checkStart(with key: String, _ value: String) throws(DecoderError) {
        let settings = decoder.parameters.map { "\($0.key)=\($0.value)" } + ["\(key)=\(value)"]
        let scratch = try DecoderRegistry.make(decoder.id, settings: settings)
        try scratch.start(canvas: Canvas(promptTokens: setup.promptTokens, answerLength: setup.answerLength,
                                         maskTokenID: predictor.descriptor.maskTokenID),
                          descriptor: predictor.descriptor)
    }

    /// Runs one step. Returns its record, or nil when the decode has ended (then `endRecord` is set
    /// and the consumers have received it).
    @discardableResult
    public func step() -> StepRecord? {
        guard endRecord == nil else { return nil }
        if canvas.step >= setup.maxSteps {
            finish(.error, message: "stopped after \(setup.maxSteps) steps without finishing")
            return nil
        }
        let clock = ContinuousClock.now
        do {
            guard var events = try decoder.step(canvas: canvas, predictor: predictor, rng: &rng) else {
                if canvas.isComplete {
                    finish(forceFilled ? .earlyStop : .finished)
                } else {
                    finish(.error, message: "\(decoder.id) stopped with \(canvas.maskedCount) masked positions left")
                }
                return nil
            }
            events.removeAll(where: isEmptyList)
            events.insert(contentsOf: pendingChanges.map(Event.parameterChange), at: 0)
            if !setup.recordsTimings { events = events.map(withoutTiming) }
            pendingChanges = []
            canvas.beginStep(canvas.step + 1)
            for event in events {
                try canvas.apply(event)
                if case .forceFill = event { forceFilled = true }
            }
            let seconds = setup.recordsTimings ? (ContinuousClock.now - clock).seconds : 0
            elapsed += seconds
            let record = StepRecord(step: canvas.step, events: events, tokenTexts: newTokenTexts(events),
                                    milliseconds: seconds * 1000)
            emit(.step(record))
            return record
        } catch {
            finish(.error, message: "\(error)")
            return nil
        }
    }

    /// Runs steps until the decode ends or `shouldStop` says so (then it ends as cancelled).
    @discardableResult
    public func run(shouldStop: () -> Bool = { false }) -> EndRecord {
        while endRecord == nil {
            if shouldStop() { cancel(); break }
            step()
        }
        return endRecord!
    }

    /// Ends the decode now (reason `cancelled`), if it has not ended.
    public func cancel() {
        if endRecord == nil { finish(.cancelled) }
    }

    /// Starts the decode again from an all-mask canvas with a new seed, with the same decoder and
    /// its current parameters, or with `decoder` when given. Consumers receive a fresh header.
    /// - Parameter change: a `key=value` applied first (a restart-timed edit); when the decode
    ///   could not start with it, nothing restarts and the error is thrown.
    public func restart(seed: UInt64, decoder newDecoder: (any Decoder)? = nil,
                        change: (key: String, value: String)? = nil) throws(DecoderError) {
        if let newDecoder { decoder = newDecoder }
        if let change {
            try checkStart(with: change.key, change.value)
            _ = try decoder.set(key: change.key, value: change.value)
        }
        setup.seed = seed
        setup.branch = nil  // a restart no longer re-simulates a parent
        rng = SplitMix64(seed: seed)
        canvas = Canvas(promptTokens: setup.promptTokens, answerLength: setup.answerLength,
                        maskTokenID: predictor.descriptor.maskTokenID)
        header = Session.makeHeader(decoder: decoder, descriptor: predictor.descriptor, setup: setup)
        endRecord = nil
        pendingChanges = []
        forceFilled = false
        elapsed = 0
        do { try begin() } catch {
            finish(.error, message: error.description)  // consumers see why nothing follows
            throw error
        }
    }

    // MARK: - Private

    private func begin() throws(DecoderError) {
        predictor.resetCache()
        try decoder.start(canvas: canvas, descriptor: predictor.descriptor)
        seenTokens = Set(setup.promptTokens)
        started = true
        emit(.header(header))
    }

    private func finish(_ reason: EndRecord.Reason, message: String? = nil) {
        let answer = usefulAnswer(canvas.tokens[canvas.answerRange], stopTokens: stopTokenIDs, maskTokenID: canvas.maskTokenID)
        let end = EndRecord(reason: reason, steps: canvas.step, nfe: canvas.forwardCount, usefulTokens: answer.count,
                            seconds: elapsed, answerText: setup.detokenize(answer), message: message)
        endRecord = end
        emit(.end(end))
    }

    private func emit(_ output: SessionOutput) {
        for consumer in consumers { consumer(output) }
    }

    private func newTokenTexts(_ events: [Event]) -> [String: String] {
        var texts: [String: String] = [:]
        func note(_ token: Int) {
            if seenTokens.insert(token).inserted { texts[String(token)] = setup.tokenText(token) }
        }
        for event in events {
            switch event {
            case .commit(let commits), .draft(let commits), .forceFill(let commits): commits.forEach { note($0.token) }
            case .predict(let predictions): predictions.forEach { $0.tokens.forEach(note) }
            default: break
            }
        }
        return texts
    }

    static func stopTokens(_ descriptor: ModelDescriptor) -> [Int] {
        [descriptor.endOfTextID] + (descriptor.endOfTurnID.map { [$0] } ?? [])
    }

    static func makeHeader(decoder: any Decoder, descriptor: ModelDescriptor, setup: SessionSetup) -> TrajectoryHeader {
        var texts: [String: String] = [:]
        for token in Set(setup.promptTokens) { texts[String(token)] = setup.tokenText(token) }
        return TrajectoryHeader(
            model: ModelIdentity(name: descriptor.name, family: descriptor.family.rawValue, weightsHash: descriptor.weightsHash),
            tokenizer: setup.tokenizer, decoder: decoder.id, config: decoder.configuration, seed: setup.seed,
            promptText: setup.promptText, promptTokens: setup.promptTokens,
            canvasLength: setup.promptTokens.count + setup.answerLength, maskTokenID: descriptor.maskTokenID,
            stopTokenIDs: stopTokens(descriptor), tokenTexts: texts, writer: setup.writer, branch: setup.branch,
            engine: descriptor.engine)
    }
}

/// The useful part of an answer (decoders.md §1.1): cut at the first stop token (end-of-text or
/// end-of-turn), so the end-of-text padding after it is dropped; masks never count.
public func usefulAnswer<C: Collection>(_ answer: C, stopTokens: [Int], maskTokenID: Int) -> [Int] where C.Element == Int {
    Array(answer.prefix { !stopTokens.contains($0) }.filter { $0 != maskTokenID })
}

/// A commit, draft, remask... with nothing in it: dropped so records only say what happened.
private func isEmptyList(_ event: Event) -> Bool {
    switch event {
    case .predict(let p): p.isEmpty
    case .commit(let c), .draft(let c), .forceFill(let c): c.isEmpty
    case .verify(let v): v.isEmpty
    case .remask(let r): r.isEmpty
    default: false
    }
}

private func withoutTiming(_ event: Event) -> Event {
    guard case .forward(var forward) = event else { return event }
    forward.milliseconds = 0
    return .forward(forward)
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
