import Foundation
import Recording

/// Renders a replay frame by frame into an asciicast recording: a JSON header line, then one event
/// line per frame and marker.
///
/// - v3 (the default, what asciinema 3 writes): header `{"version": 3, "term": {"cols", "rows",
///   "type"}, …}`; events `[interval, code, data]` whose first field is the time since the previous
///   event; `"o"` output, `"m"` markers, and a final `"x"` exit event with status "0".
/// - v2 (`--cast-version 2`, for older players): header `{"version": 2, "width", "height", …}`;
///   events `[seconds since start, code, data]`, `"o"` and `"m"` only.
///
/// Markers (`castMarkers`) sit at the frame of the step they describe, so players can jump between
/// block opens and completions, cache builds and refreshes, remasks and parameter edits.
public enum CastExport {
    public enum Version: Int, Sendable, CaseIterable { case v2 = 2, v3 = 3 }

    public struct Options: Sendable {
        public var version = Version.v3
        public var size = TerminalSize(columns: 100, rows: 30)
        /// Seconds each step stays on screen.
        public var stepSeconds = 0.25
        /// Seconds the last frame is held.
        public var holdSeconds = 2.0
        public var showGhosts = false
        /// Draw the decode-order map (the playground's `o`) in every frame.
        public var showOrder = false
        public var cursor: Int?
        public init() {}
    }

    public static func cast(lanes: [Replay], label: String, theme: Theme, options: Options = Options()) throws -> String {
        var playground = replayPlayground(lanes: lanes, label: label, options: options)
        let total = playground.state.totalSteps
        // (seconds since start, code, data) in order; encoded per version below.
        var events: [(time: Double, code: String, data: String)] = []
        var time = 0.0
        for step in 0...total {
            for (index, replay) in lanes.enumerated() where step > 0 && step <= replay.steps.count {
                let label = castMarkers(replay.steps[step - 1], lane: lanes.count > 1 ? index : nil, branch: replay.header.branch)
                events += label.map { (time, "m", $0) }
            }
            let screen = frame(&playground, step: step, theme: theme, size: options.size)
            var text = AnsiFrame.encode(screen, theme: theme)
            if step == 0 { text = AnsiFrame.hideCursor + AnsiFrame.clear + text }
            events.append((time, "o", text))
            time += options.stepSeconds
        }
        let end = time - options.stepSeconds + options.holdSeconds
        events.append((end, "o", AnsiFrame.showCursor))
        if options.version == .v3 { events.append((end, "x", "0")) }

        let title = "dllm-play · \(label)"
        let header: [String: Any] = options.version == .v3
            ? ["version": 3, "term": ["cols": options.size.columns, "rows": options.size.rows, "type": "xterm-256color"],
               "title": title, "env": ["SHELL": "/bin/sh"]]
            : ["version": 2, "width": options.size.columns, "height": options.size.rows,
               "title": title, "env": ["TERM": "xterm-256color", "SHELL": "/bin/sh"]]
        var lines = [String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]),
                            as: UTF8.self)]
        var previous = 0.0
        for event in events {
            // v3 times are intervals; rounding each to the millisecond keeps their sum exact.
            let stamp = options.version == .v3 ? milliseconds(event.time) - milliseconds(previous) : milliseconds(event.time)
            previous = event.time
            lines.append(try self.event(Double(stamp) / 1000, event.code, event.data))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A playground holding every lane's whole replay, for rendering any step offline.
    static func replayPlayground(lanes: [Replay], label: String) -> Playground {
        var playground = Playground(sourceLabel: label, isLive: false)
        for (index, replay) in lanes.enumerated() {
            var updates: [SourceUpdate] = [.start(replay.header)] + replay.steps.map { .step($0) }
            if let end = replay.end { updates.append(.end(end)) }
            playground.receive(updates, lane: index)
        }
        return playground
    }

    /// The replay playground with the recording's view options applied.
    static func replayPlayground(lanes: [Replay], label: String, options: Options) -> Playground {
        var playground = replayPlayground(lanes: lanes, label: label)
        playground.state.showGhosts = options.showGhosts
        playground.state.showOrder = options.showOrder
        playground.state.cursor = options.cursor
        return playground
    }

    /// The screen the recording shows from `step` on (0: before the first step; the last step
    /// reads as finished, the others as playing).
    static func frame(_ playground: inout Playground, step: Int, theme: Theme, size: TerminalSize) -> Screen {
        let total = playground.state.totalSteps
        playground.state.viewedStep = step
        playground.state.following = step == total
        playground.state.playing = step < total
        return render(playground.state, theme: theme, size: size)
    }

    private static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    static func event(_ time: Double, _ code: String, _ text: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: [time, code, text] as [Any], options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
