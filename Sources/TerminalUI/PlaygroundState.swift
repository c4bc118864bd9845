import Recording

/// One decode shown in the UI. Compare mode has two.
public struct Lane: Sendable {
    public var replay: Replay
    public var label: String { replay.header.decoder }
    public init(replay: Replay) { self.replay = replay }
}

/// Which statistic the stats pane's histogram shows over the masked positions.
public enum HistogramMetric: String, Sendable { case confidence, entropy }

/// A one-line text field in the status line (prompt editing).
public struct LineInput: Sendable, Equatable {
    public var title: String
    public var text: String
}

/// Everything `render` draws. Plain data: the `Playground` changes it, nothing else.
public struct PlaygroundState: Sendable {
    public var lanes: [Lane] = []
    /// How many steps the canvas shows applied (0 = before the first step).
    public var viewedStep = 0
    /// Keep `viewedStep` at the newest step as steps arrive.
    public var following = true
    public var playing = true
    public var speedIndex = PlaygroundState.defaultSpeedIndex
    /// Canvas position under the inspector cursor.
    public var cursor: Int?
    public var showGhosts = false
    public var showHelp = false
    public var histogram = HistogramMetric.confidence
    /// Compare mode: the pane under each lane shows the inspector at the shared cursor instead of
    /// the lane's stats (moving the cursor turns it on; `i` toggles).
    public var compareShowsInspector = false
    public var selectedParameter = 0
    /// The status line's message until the next key, and every note received (the newest shows
    /// while no trajectory has arrived).
    public var message: String?
    public var notes: [String] = []
    public var sourceLabel = ""
    public var isLive = false
    public var input: LineInput?

    /// Steps per second; the last is "as fast as steps arrive".
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 16, 32, 64, .infinity]
    public static let defaultSpeedIndex = 3

    public init() {}

    public var stepsPerSecond: Double { Self.speeds[min(max(0, speedIndex), Self.speeds.count - 1)] }

    /// Steps available to scrub through (the longest lane).
    public var totalSteps: Int { lanes.map(\.replay.count).max() ?? 0 }

    public var isFinished: Bool { !lanes.isEmpty && lanes.allSatisfy(\.replay.isFinished) }

    /// Parameters of the first lane: the header's configuration overlaid by live changes, by key.
    public func parameters(of lane: Lane, canvas: Canvas) -> [(key: String, value: String)] {
        var merged = lane.replay.header.config
        for (key, value) in canvas.parameters { merged[key] = value }
        return merged.keys.sorted().map { ($0, merged[$0]!) }
    }
}
