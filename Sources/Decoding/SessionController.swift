import Foundation
import Recording

/// Runs a `Session` on its own thread and lets other threads steer it and read its output.
///
/// The ncurses UI polls from its single UI thread: it calls `poll()` between key reads and never
/// waits on a forward pass. Commands (pause, resume, single step, parameter change, restart,
/// cancel) are queued in a lock-protected control block and taken by the decode thread between
/// steps, so a parameter change lands at the start of the next step.
///
///     let controller = SessionController.start(session, paused: true, check: FastDLLM.check)
///     controller.stepOnce()
///     for output in controller.poll() { ... }      // .header, .step, .end
///     try controller.set(key: "threshold", value: "0.8")
///     controller.resume(); controller.restart(seed: 7); controller.cancel(); controller.wait()
public final class SessionController: @unchecked Sendable {
    // Every stored property below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var paused: Bool
    private var stepRequests = 0
    private var commands: [Command] = []
    private var outbox: [SessionOutput] = []
    private var refusals: [Refusal] = []
    private var descriptors: [ParameterDescriptor] = []
    private var streams: [AsyncStream<SessionOutput>.Continuation] = []
    private var running = true
    private var done = false
    private var check: @Sendable (String, String) throws(DecoderError) -> Void

    private enum Command {
        case set(String, String), setAndRestart(String, String), restart(UInt64), switchDecoder(String, [String], UInt64), cancel
        /// One step, in order with the other commands (re-simulation).
        case step
    }

    /// A parameter edit the decode thread did not take, and why.
    public struct Refusal: Sendable, Equatable {
        public var key: String
        public var value: String
        public var reason: String
    }

    private init(paused: Bool, check: @escaping @Sendable (String, String) throws(DecoderError) -> Void) {
        self.paused = paused
        self.check = check
    }

    /// Starts decoding `session` on a new thread. The session must not be used by the caller
    /// afterwards: from here on only the decode thread touches it.
    /// - Parameter check: validates `key=value` before it is queued (e.g. `FastDLLM.check`), so
    ///   `set` can report a bad value at once; the decoder validates again when it applies it.
    public static func start(_ session: Session, paused: Bool = false,
                             check: @escaping @Sendable (String, String) throws(DecoderError) -> Void = { _, _ throws(DecoderError) in })
        -> SessionController {
        let controller = SessionController(paused: paused, check: check)
        let handOver = HandOver(session)
        let thread = Thread { controller.decodeLoop(handOver.session) }
        thread.name = "dllm-play decode"
        thread.start()
        return controller
    }

    // MARK: - API (any thread)

    /// Takes every output produced since the last call, oldest first.
    public func poll() -> [SessionOutput] {
        locked { defer { outbox = [] }; return outbox }
    }

    /// Takes every edit refused since the last call, oldest first.
    public func pollRefusals() -> [Refusal] {
        locked { defer { refusals = [] }; return refusals }
    }

    /// The decoder's parameters as of the last step, start or edit (typed, for the UI).
    public var parameterDescriptors: [ParameterDescriptor] { locked { descriptors } }

    /// A stream of every output produced from now on (ends when the decode thread ends).
    public func stream() -> AsyncStream<SessionOutput> {
        AsyncStream { continuation in locked { streams.append(continuation) } }
    }

    public var isPaused: Bool { locked { paused } }
    public var isRunning: Bool { locked { !done } }

    public func pause() { locked { paused = true } }
    public func resume() { signal { paused = false; stepRequests = 0 } }
    /// Runs exactly one step while paused (ignored while running).
    public func stepOnce() { signal { if paused { stepRequests += 1 } } }

    /// Queues a parameter change for the next step. The decode thread checks it against the decode
    /// in progress; a change it cannot take is reported by `pollRefusals` and changes nothing.
    /// - Throws: `DecoderError` at once when the key or value is invalid.
    public func set(key: String, value: String) throws(DecoderError) {
        let current = locked { check }
        try current(key, value)
        signal { commands.append(.set(key, value)) }
    }

    /// Sets a parameter and restarts the decode with it on the current seed (restart-timed
    /// parameters, ended decodes). Refused like `set` when the decode could not start with it.
    public func setAndRestart(key: String, value: String) throws(DecoderError) {
        let current = locked { check }
        try current(key, value)
        signal { commands.append(.setAndRestart(key, value)) }
    }

    /// Starts over from an all-mask canvas with `seed`; outputs continue with a new header.
    public func restart(seed: UInt64) { signal { commands.append(.restart(seed)) } }

    /// Restarts with another registered decoder (its defaults, then `settings`) and `seed`.
    /// - Throws: `DecoderError` at once for an unknown decoder or a bad setting.
    public func switchDecoder(to id: String, settings: [String] = [], seed: UInt64) throws(DecoderError) {
        _ = try DecoderRegistry.make(id, settings: settings)
        let entry = try DecoderRegistry.entry(id)
        signal {
            check = entry.check
            commands.append(.switchDecoder(id, settings, seed))
        }
    }

    /// Queues edits (`key`, `value`) and single steps (nil) to run in this order, whether paused or not.
    func enqueue(_ sequence: [(key: String, value: String)?]) {
        signal { commands += sequence.map { $0.map { .set($0.key, $0.value) } ?? .step } }
    }

    /// Ends the decode (an end record with reason `cancelled` if it was still running) and the thread.
    public func cancel() { signal { commands.append(.cancel) } }

    /// Blocks until the decode thread has ended (after `cancel`).
    public func wait() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }

    /// Blocks until the current decode has an end record in the outbox or the thread ended.
    public func waitForEnd() {
        condition.lock()
        while !done && !outbox.contains(where: { if case .end = $0 { true } else { false } }) { condition.wait() }
        condition.unlock()
    }

    // MARK: - Decode thread

    private func decodeLoop(_ session: Session) {
        session.addConsumer { [self, unowned session] output in
            let current = session.parameterDescriptors
            signal {
                outbox.append(output)
                descriptors = current
                for continuation in streams { continuation.yield(output) }
            }
        }
        let described = session.parameterDescriptors
        signal { descriptors = described }
        while true {
            condition.lock()
            while commands.isEmpty && (session.isFinished || (paused && stepRequests == 0)) { condition.wait() }
            let pending = commands
            commands = []
            var stepNow = false
            if pending.isEmpty {
                stepNow = !session.isFinished && (!paused || stepRequests > 0)
                if stepNow && paused { stepRequests -= 1 }
            }
            condition.unlock()

            for command in pending {
                switch command {
                case let .set(key, value):
                    do { try session.set(key: key, value: value) } catch { refuse(key, value, error) }
                    let current = session.parameterDescriptors
                    signal { descriptors = current }
                case let .setAndRestart(key, value):
                    do { try session.restart(seed: session.setup.seed, change: (key, value)) } catch { refuse(key, value, error) }
                case let .restart(seed): try? session.restart(seed: seed)
                case let .switchDecoder(id, settings, seed):
                    if let decoder = try? DecoderRegistry.make(id, settings: settings) {
                        try? session.restart(seed: seed, decoder: decoder)
                    }
                case .step:
                    session.step()
                case .cancel:
                    session.cancel()
                    signal {
                        done = true
                        for continuation in streams { continuation.finish() }
                        streams = []
                    }
                    return
                }
            }
            if stepNow { session.step() }
        }
    }

    private func refuse(_ key: String, _ value: String, _ error: DecoderError) {
        signal { refusals.append(Refusal(key: key, value: value, reason: error.description)) }
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    private func signal(_ body: () -> Void) {
        condition.lock()
        body()
        condition.broadcast()
        condition.unlock()
    }
}

/// Moves a session to the decode thread. Safe because the creator gives it up at `start` and
/// only the decode thread uses it afterwards.
private final class HandOver: @unchecked Sendable {
    let session: Session
    init(_ session: Session) { self.session = session }
}
