import Foundation
import Recording

/// What a source delivers to the UI, drained between key polls.
public enum SourceUpdate: Sendable, Equatable {
    /// A (new) decode starts: every earlier step of this lane is dropped (live restart, new prompt).
    case start(TrajectoryHeader)
    case step(StepRecord)
    case end(EndRecord)
    /// Something the status line should show until the next key (a restart, a rejected value).
    case note(String)
    /// The input ended early (a cut-off file, a bad line): shown for as long as the lane is.
    case stopped(String)
    /// The source cannot go on; the text says why.
    case failed(String)
    /// The editable parameters of the lane's decoder, typed, with when an edit takes effect
    /// (after each start and each applied change).
    case parameters([ParameterDescriptor])
    /// A parameter edit the decode did not take, and why (one line).
    case refused(key: String, reason: String)
}

/// Controls a live source understands; a replay has none of them (the UI scrubs its own timeline).
public enum PlaybackControl: Sendable, Equatable {
    case pause
    case resume
    /// Run exactly one step, then stay paused.
    case singleStep
    /// Set a decoder parameter; it takes effect at its timing (next step, next block).
    case setParameter(key: String, value: String)
    /// Set a parameter and restart the decode with it on the same seed (a restart-timed
    /// parameter, or a decode that has ended).
    case setParameterAndRestart(key: String, value: String)
    case switchDecoder(String)
    case editPrompt(String)
    /// Start again on the same prompt; nil picks a new random seed.
    case restart(seed: UInt64?)
    case saveRecording(path: String)
}

/// Where the UI's steps come from: a recorded file, a stream that is still being written, or a
/// live decode. `drain` must never block: the UI thread calls it between key polls.
public protocol PlaybackSource: AnyObject {
    /// Shown in the title bar ("replay demo.jsonl", "live").
    var label: String { get }
    /// True for a live decode: steps arrive as they are computed and controls apply.
    var isLive: Bool { get }
    /// Decoders the live source can switch to (empty for replay).
    var decoders: [String] { get }
    /// Everything that arrived since the last call.
    func drain() -> [SourceUpdate]
    /// Handles a control; a replay ignores them.
    func send(_ control: PlaybackControl)
    /// Called when the UI exits (stop a decode thread, close files).
    func close()
    /// A new source that re-simulates this one's decode through `step` (recorded edits included)
    /// and then waits, paused; nil when this source cannot branch (a replay).
    func branch(atStep step: Int) -> (any PlaybackSource)?
}

extension PlaybackSource {
    public var decoders: [String] { [] }
    public func send(_ control: PlaybackControl) {}
    public func close() {}
    public func branch(atStep step: Int) -> (any PlaybackSource)? { nil }
}

/// A finished trajectory read from a file: everything is delivered at once.
public final class RecordedSource: PlaybackSource {
    public let label: String
    public var isLive: Bool { false }
    private var pending: [SourceUpdate]

    public init(trajectory: Trajectory, label: String) {
        self.label = label
        pending = [.start(trajectory.header)] + trajectory.steps.map { .step($0) }
        if let end = trajectory.end { pending.append(.end(end)) }
        if let note = trajectory.note { pending.append(.stopped(note)) }
    }

    public func drain() -> [SourceUpdate] {
        defer { pending = [] }
        return pending
    }
}

/// A trajectory still being written (standard input, a pipe): steps appear as lines arrive.
public final class StreamedSource: PlaybackSource {
    public let label: String
    public var isLive: Bool { false }
    private let stream: TrajectoryStream

    public init(handle: FileHandle, label: String) {
        self.label = label
        stream = TrajectoryStream(handle: handle, source: label == "-" ? "standard input" : label)
        stream.start()
    }

    public func drain() -> [SourceUpdate] {
        stream.drain().compactMap { update in
            switch update {
            case .line(.header(let header)): .start(header)
            case .line(.step(let step)): .step(step)
            case .line(.end(let end)): .end(end)
            case .note(let note): .stopped(note)
            case .failed(let reason): .failed(reason)
            case .closed: nil
            }
        }
    }
}
