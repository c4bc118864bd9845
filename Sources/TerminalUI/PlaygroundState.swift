import Recording

/// One decode shown in the UI. Compare mode has two.
public struct Lane: Sendable {
    public var replay: Replay
    public var label: String { replay.header.decoder }
    public init(replay: Replay) { self.replay = replay }
}

/// Which statistic the stats pane's histogram shows over the masked positions.
public enum HistogramMetric: String, Sendable { case confidence, entropy }

/// One line of the parameter list: the applied value, when an edit takes effect (a one-letter
/// tag: s next step, b next block, r restart), and an edit sent but not yet applied.
public struct ParameterRow: Sendable, Equatable {
    public var key: String
    public var value: String
    public var timing: ParameterTiming?
    public var pending: String?
}

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
    /// Draw each written answer position as the step that wrote it (the decode-order map of
    /// docs/analysis.md) instead of its token.
    public var showOrder = false
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
    /// The lane whose parameters `[` and `]` edit: the first, or a branch once there is one.
    public var editLane = 0
    /// The edited lane's parameters as its live source describes them (empty in replay).
    public var parameterDescriptors: [ParameterDescriptor] = []
    /// Edits sent to the edited lane's decode and not yet seen applied or refused, by key.
    public var pendingEdits: [String: String] = [:]

    /// Steps per second; the last is "as fast as steps arrive".
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 16, 32, 64, .infinity]
    public static let defaultSpeedIndex = 3

    public init() {}

    public var stepsPerSecond: Double { Self.speeds[min(max(0, speedIndex), Self.speeds.count - 1)] }

    /// Steps available to scrub through (the longest lane).
    public var totalSteps: Int { lanes.map(\.replay.count).max() ?? 0 }

    public var isFinished: Bool { !lanes.isEmpty && lanes.allSatisfy(\.replay.isFinished) }

    /// Parameters of a lane: the header's configuration overlaid by live changes, by key.
    public func parameters(of lane: Lane, canvas: Canvas) -> [(key: String, value: String)] {
        var merged = lane.replay.header.config
        for (key, value) in canvas.parameters { merged[key] = value }
        return merged.keys.sorted().map { ($0, merged[$0]!) }
    }

    /// The parameter list of a lane: for the edited lane of a live decode in its decoder's table
    /// order with timing tags and pending edits; otherwise the recorded configuration by key.
    public func parameterRows(of lane: Lane, canvas: Canvas, isFirst: Bool) -> [ParameterRow] {
        let values = parameters(of: lane, canvas: canvas)
        let keys = Set(values.map(\.key))
        guard isFirst, !parameterDescriptors.isEmpty, parameterDescriptors.allSatisfy({ keys.contains($0.key) }) else {
            return values.map { ParameterRow(key: $0.key, value: $0.value) }
        }
        let byKey = Dictionary(uniqueKeysWithValues: values.map { ($0.key, $0.value) })
        return parameterDescriptors.map {
            ParameterRow(key: $0.key, value: byKey[$0.key]!, timing: $0.timing, pending: pendingEdits[$0.key])
        }
    }

    /// The title bar's word for ended decodes: "finished", or "stopped: <reason>" when a lane
    /// ended with an error or was cancelled; nil while any lane is decoding.
    public var endLabel: String? {
        guard isFinished else { return nil }
        let ends = lanes.compactMap(\.replay.end)
        if let bad = ends.first(where: { $0.reason == .error || $0.reason == .cancelled }) { return "stopped: \(bad.reason.rawValue)" }
        return "finished"
    }

    /// The message of a lane that ended with an error ("stopped: <message>"), for the status line.
    public var endProblem: String? {
        lanes.lazy.compactMap(\.replay.end).first { $0.reason == .error }.map { "stopped: " + ($0.message ?? "error") }
    }
}
