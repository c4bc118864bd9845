/// Every step received so far, and the canvas at any of them. Steps are checked against the
/// canvas as they arrive: the first step the canvas rejects ends the replay with a note, so every
/// kept step replays exactly. Canvases are rebuilt by applying steps from a snapshot taken every
/// `snapshotInterval` steps.
public struct Replay: Sendable {
    public let header: TrajectoryHeader
    public private(set) var steps: [StepRecord] = []
    public private(set) var end: EndRecord?
    /// Display text by token id: the header's texts merged with every step's.
    public private(set) var tokenTexts: [Int: String] = [:]
    /// Why the replay stopped taking steps, if it did.
    public private(set) var note: String?
    /// The canvas after all kept steps.
    public private(set) var latest: Canvas
    /// Sum of the kept steps' wall times.
    public private(set) var milliseconds: Double = 0
    public let snapshotInterval: Int
    /// snapshots[i] is the canvas after i * snapshotInterval steps.
    private var snapshots: [Canvas]

    public init(header: TrajectoryHeader, snapshotInterval: Int = 32) {
        self.header = header
        self.snapshotInterval = max(1, snapshotInterval)
        latest = Canvas(header: header)
        snapshots = [latest]
        merge(header.tokenTexts)
    }

    public init(trajectory: Trajectory, snapshotInterval: Int = 32) {
        self.init(header: trajectory.header, snapshotInterval: snapshotInterval)
        for step in trajectory.steps where append(step) == false { break }
        if let end = trajectory.end, note == nil { finish(end) }
        if let readNote = trajectory.note { note = note ?? readNote }
    }

    public var count: Int { steps.count }
    public var isFinished: Bool { end != nil }

    /// Adds a step; false (and a note) if the canvas rejects it, after which nothing is added.
    @discardableResult
    public mutating func append(_ step: StepRecord) -> Bool {
        guard note == nil, end == nil else { return false }
        var next = latest
        do {
            try next.apply(step)
        } catch {
            note = "stopped at step \(step.step): \(error)"
            return false
        }
        latest = next
        steps.append(step)
        milliseconds += step.milliseconds
        merge(step.tokenTexts)
        if steps.count % snapshotInterval == 0 { snapshots.append(latest) }
        return true
    }

    /// Ends the replay; ignored once it has stopped on a bad step (the end record's totals would
    /// describe steps that were not kept).
    public mutating func finish(_ record: EndRecord) {
        guard note == nil else { return }
        end = record
    }

    /// Records why the input stopped (a truncated file, a bad line).
    public mutating func stop(_ reason: String) {
        if note == nil { note = reason }
    }

    /// The canvas after the first `count` steps (0: the initial canvas).
    public func canvas(afterSteps count: Int) -> Canvas {
        let target = min(max(0, count), steps.count)
        if target == steps.count { return latest }
        let snapshotIndex = target / snapshotInterval
        var canvas = snapshots[snapshotIndex]
        for step in steps[(snapshotIndex * snapshotInterval)..<target] {
            try? canvas.apply(step)
        }
        return canvas
    }

    /// Wall time of the first `count` steps.
    public func milliseconds(afterSteps count: Int) -> Double {
        steps.prefix(max(0, count)).reduce(0) { $0 + $1.milliseconds }
    }

    public func text(of token: Int) -> String? { tokenTexts[token] }

    private mutating func merge(_ texts: [String: String]) {
        for (key, value) in texts {
            if let id = Int(key) { tokenTexts[id] = value }
        }
    }
}
