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
}

/// The playground's live source: a `Session` decoding on its own thread under a
/// `SessionController`. The UI thread only polls the controller and queues controls, so it never
/// waits on a forward pass. Switching decoder or prompt builds a new session; that waits for the
/// old decode thread to finish its current step (one forward pass) before the new one starts.
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

    init(label: String, configuration: LiveConfiguration, paused: Bool, recordPath: String?,
         makeSession: @escaping (LiveConfiguration) throws -> Session) throws {
        self.label = label
        self.configuration = configuration
        self.makeSession = makeSession
        self.paused = paused
        self.recordPath = recordPath
        controller = try Self.start(makeSession(configuration), paused: paused)
    }

    private static func start(_ session: Session, paused: Bool) -> SessionController {
        let decoderID = session.decoder.id
        let check: @Sendable (String, String) throws(DecoderError) -> Void = { key, value throws(DecoderError) in
            try DecoderRegistry.entry(decoderID).check(key, value)
        }
        return SessionController.start(session, paused: paused, check: check)
    }

    func drain() -> [SourceUpdate] {
        var updates = pending
        pending = []
        for output in controller.poll() {
            switch output {
            case .header(let header):
                updates.append(.start(header))
                record { writer in try writer.write(header) }
            case .step(let step):
                updates.append(.step(step))
                record { writer in try writer.write(step) }
            case .end(let end):
                updates.append(.end(end))
                record { writer in try writer.write(end) }
            }
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
            do {
                try controller.set(key: key, value: value)
                configuration.settings.append("\(key)=\(value)")
            } catch {
                pending.append(.note("\(key)=\(value): \(error.description)"))
            }
        case .switchDecoder(let id):
            var next = configuration
            next.decoder = id
            next.settings = []
            replace(with: next)
        case .editPrompt(let text):
            var next = configuration
            next.prompt = text
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

    /// Ends the current decode and starts one with `next` (same model).
    private func replace(with next: LiveConfiguration) {
        controller.cancel()
        controller.wait()
        _ = controller.poll()
        do {
            let session = try makeSession(next)
            configuration = next
            writer = nil
            controller = Self.start(session, paused: paused)
        } catch {
            pending.append(.note("cannot start \(next.decoder): \(error)"))
            if let session = try? makeSession(configuration) { controller = Self.start(session, paused: paused) }
        }
    }

    func close() {
        controller.cancel()
        controller.wait()
    }
}
