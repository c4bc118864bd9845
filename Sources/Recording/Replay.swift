/// Every step received so far, and the canvas at any of them. Steps are checked against the
/// canvas as they arrive: the first step the canvas rejects ends the replay with a note, so every
/// kept step replays exactly. Canvases are rebuilt by applying steps from a snapshot taken every
/// `snapshotInterval` steps (at least canvasLength / 8, so memory stays proportional to the steps).
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
        // A snapshot copies the whole canvas: on a long canvas take them more rarely, so the
        // snapshots cost at most ~8 positions' worth of memory per step kept.
        self.snapshotInterval = max(1, snapshotInterval, header.canvasLength / 8)
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
        // Applied in place (a copy per step would cost the whole canvas each step); a rejected
        // step left it half-applied, so it is rebuilt from the last snapshot.
        do {
            try latest.apply(step)
        } catch {
            latest = rebuilt(afterSteps: steps.count)
            note = "stopped at step \(step.step): \(error)"
            return false
        }
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
        return target == steps.count ? latest : rebuilt(afterSteps: target)
    }

    /// The canvas after `target` ≤ steps.count steps, replayed from the snapshot before it.
    private func rebuilt(afterSteps target: Int) -> Canvas {
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
