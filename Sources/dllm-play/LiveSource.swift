import Decoding
import Foundation
import Recording
import TerminalUI

/// What a live decode needs to (re)start: the UI can change the decoder, the prompt and the seed.
struct LiveConfiguration: Sendable {
    var decoder: String
    var settings: [String]
    var prompt: String
    var seed: UInt64
    /// Set on a branch: where it left its parent (recorded in its header).
    var branch: BranchOrigin? = nil
}

/// The playground's live source: a `Session` decoding on its own thread under a
/// `SessionController`. The UI thread only polls the controller and queues controls, so it never
/// waits on a forward pass. Switching decoder or prompt builds a new session on a helper thread,
/// which first waits for the old decode thread to finish its step (the model is shared); until the
/// new session is ready, `drain` returns nothing from the old one and controls are dropped.
final class LiveSource: PlaybackSource {
    let label: String
    var isLive: Bool { true }
    var decoders: [String] { DecoderRegistry.ids }

    /// Builds a session for a configuration (loads nothing: the model is captured by the closure).
    private let makeSession: (LiveConfiguration) throws -> Session
    private var configuration: LiveConfiguration
    private var controller: SessionController
    private var paused: Bool
    private var pending: [SourceUpdate] = []
    /// --record: the current decode is written here as it arrives (a new decode starts the file over).
    private let recordPath: String?
    private var writer: TrajectoryWriter?
    private let replacement = ReplacementBox()
    /// The descriptors last handed to the UI (sent again only when they change).
    private var sentDescriptors: [ParameterDescriptor] = []
    /// The current decode as received (header and steps), which a branch re-simulates.
    private var startHeader: TrajectoryHeader?
    private var history: [StepRecord] = []
    /// Builds a session factory on a model instance of its own (a branch decodes on its own thread).
    private let makeFactory: (() throws -> (LiveConfiguration) throws -> Session)?

    init(label: String, configuration: LiveConfiguration, paused: Bool, recordPath: String?,
         makeSession: @escaping (LiveConfiguration) throws -> Session,
         makeFactory: (() throws -> (LiveConfiguration) throws -> Session)? = nil) throws {
        self.label = label
        self.makeFactory = makeFactory
        self.configuration = configuration
        self.makeSession = makeSession
        self.paused = paused
        self.recordPath = recordPath
        controller = try Self.start(makeSession(configuration), paused: paused)
    }

    static func start(_ session: Session, paused: Bool) -> SessionController {
        let decoderID = session.decoder.id
        let check: @Sendable (String, String) throws(DecoderError) -> Void = { key, value throws(DecoderError) in
            try DecoderRegistry.entry(decoderID).check(key, value)
        }
        return SessionController.start(session, paused: paused, check: check)
    }

    func drain() -> [SourceUpdate] {
        if collectReplacement() {
            defer { pending = [] }
            return pending
        }
        var updates = pending
        pending = []
        for output in controller.poll() {
            switch output {
            case .header(let header):
                updates.append(.start(header))
                sentDescriptors = []
                startHeader = header
                history = []
                // What is decoding now, so a prompt edit or a restart keeps it.
                configuration.settings = header.config.keys.sorted().map { "\($0)=\(header.config[$0]!)" }
            case .step(let step):
                updates.append(.step(step))
                history.append(step)
                for case .parameterChange(let change) in step.events {
                    configuration.settings.append("\(change.key)=\(change.newValue)")
                }
            case .end(let end):
                updates.append(.end(end))
            }
            record { writer in try writer.write(output) }
        }
        for refusal in controller.pollRefusals() {
            updates.append(.refused(key: refusal.key, reason: refusal.reason))
        }
        let descriptors = controller.parameterDescriptors
        if descriptors != sentDescriptors {
            sentDescriptors = descriptors
            updates.append(.parameters(descriptors))
        }
        return updates
    }

    private func record(_ write: (TrajectoryWriter) throws -> Void) {
        guard let recordPath else { return }
        do {
            if writer == nil { writer = try TrajectoryWriter(path: recordPath) }
            try write(writer!)
        } catch {
            pending.append(.note("cannot record to \(recordPath): \(error)"))
        }
    }

    func send(_ control: PlaybackControl) {
        guard !replacement.isBusy else { return }
        switch control {
        case .pause:
            paused = true
            controller.pause()
        case .resume:
            paused = false
            controller.resume()
        case .singleStep:
            controller.stepOnce()
        case .setParameter(let key, let value):
            do { try controller.set(key: key, value: value) } catch {
                pending.append(.refused(key: key, reason: error.description))
            }
        case .setParameterAndRestart(let key, let value):
            do { try controller.setAndRestart(key: key, value: value) } catch {
                pending.append(.refused(key: key, reason: error.description))
            }
        case .switchDecoder(let id):
            var next = configuration
            next.decoder = id
            next.settings = []
            next.branch = nil
            replace(with: next)
        case .editPrompt(let text):
            var next = configuration
            next.prompt = text
            next.branch = nil
            replace(with: next)
        case .restart(let seed):
            configuration.seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            writer = nil
            controller.restart(seed: configuration.seed)
            pending.append(.note("restarted with seed \(configuration.seed)"))
        case .saveRecording:
            break  // the UI writes what it has received (RecordingSaver)
        }
    }

    /// A new live lane that re-simulates this decode through `step` with the recorded edits (same
    /// configuration at start, prompt and seed, so it shares steps 1…step exactly) on a model
    /// instance of its own, then waits paused. Its header names the parent's file and the step.
    func branch(atStep step: Int) -> (any PlaybackSource)? {
        guard let header = startHeader, let makeFactory, step <= history.count else { return nil }
        let parentFile = recordPath.map { URL(fileURLWithPath: $0).lastPathComponent }
        let branchRecord = recordPath.map { $0.replacingOccurrences(of: ".jsonl", with: "") + "-branch-\(step).jsonl" }
        let start = LiveConfiguration(decoder: header.decoder, settings: header.config.keys.sorted().map { "\($0)=\(header.config[$0]!)" },
                                      prompt: header.promptText, seed: header.seed,
                                      branch: BranchOrigin(parentFile: parentFile, step: step))
        do {
            let source = try LiveSource(label: label, configuration: start, paused: true, recordPath: branchRecord,
                                        makeSession: try makeFactory(), makeFactory: makeFactory)
            source.controller.resimulate(edits: RecordedEdit.all(in: Array(history.prefix(step))), through: step)
            return source
        } catch {
            pending.append(.note("cannot branch: \(error)"))
            return nil
        }
    }

    /// Ends the current decode and starts one with `next` (same model) without blocking the UI.
    private func replace(with next: LiveConfiguration) {
        guard !replacement.isBusy else {
            pending.append(.note("still switching; try again in a moment"))
            return
        }
        replacement.begin()
        let job = ReplacementJob(old: controller, next: next, current: configuration, paused: paused,
                                 makeSession: makeSession, box: replacement)
        Thread { job.run() }.start()
    }

    /// Takes a finished replacement, if any; true while one is still being built.
    private func collectReplacement() -> Bool {
        switch replacement.take() {
        case .none:
            return replacement.isBusy
        case .ready(let newController, let newConfiguration, let note):
            controller = newController
            configuration = newConfiguration
            writer = nil
            if let note { pending.append(.note(note)) }
            return false
        case .failed(let note):
            pending.append(.failed(note))
            return false
        }
    }

    func close() {
        while collectReplacement() { Thread.sleep(forTimeInterval: 0.01) }
        controller.cancel()
        controller.wait()
    }
}

/// The result of a decoder or prompt switch, handed from the helper thread to the UI thread.
/// Every stored property is used only while `lock` is held.
private final class ReplacementBox: @unchecked Sendable {
    enum Result {
        case none
        case ready(SessionController, LiveConfiguration, note: String?)
        case failed(String)
    }

    private let lock = NSLock()
    private var busy = false
    private var result = Result.none

    var isBusy: Bool { lock.withLock { busy } }
    func begin() { lock.withLock { busy = true } }
    func finish(_ value: Result) { lock.withLock { result = value; busy = false } }
    func take() -> Result {
        lock.withLock {
            defer { result = .none }
            return result
        }
    }
}

/// Stops the old decode, then builds and starts the new one. Runs on its own thread; it owns the
/// old controller and the session factory until it hands the result back through the box.
private final class ReplacementJob: @unchecked Sendable {
    let old: SessionController
    let next: LiveConfiguration
    let current: LiveConfiguration
    let paused: Bool
    let makeSession: (LiveConfiguration) throws -> Session
    let box: ReplacementBox

    init(old: SessionController, next: LiveConfiguration, current: LiveConfiguration, paused: Bool,
         makeSession: @escaping (LiveConfiguration) throws -> Session, box: ReplacementBox) {
        self.old = old
        self.next = next
        self.current = current
        self.paused = paused
        self.makeSession = makeSession
        self.box = box
    }

    func run() {
        old.cancel()
        old.wait()
        do {
            box.finish(.ready(LiveSource.start(try makeSession(next), paused: paused), next, note: nil))
        } catch {
            // Keep the previous decoder and prompt, started afresh.
            let note = "cannot start \(next.decoder): \(error)"
            if let session = try? makeSession(current) {
                box.finish(.ready(LiveSource.start(session, paused: paused), current, note: note))
            } else {
                box.finish(.failed(note))
            }
        }
    }
}
