import Foundation
import Recording

/// Renders a replay frame by frame into an asciinema v2 recording: a JSON header line, then one
/// `[seconds, "o", text]` line per frame.
public enum CastExport {
    public struct Options: Sendable {
        public var size = TerminalSize(columns: 100, rows: 30)
        /// Seconds each step stays on screen.
        public var stepSeconds = 0.25
        /// Seconds the last frame is held.
        public var holdSeconds = 2.0
        public var showGhosts = false
        public var cursor: Int?
        public init() {}
    }

    public static func cast(lanes: [Replay], label: String, theme: Theme, options: Options = Options()) throws -> String {
        var playground = Playground(sourceLabel: label, isLive: false)
        for (index, replay) in lanes.enumerated() {
            var updates: [SourceUpdate] = [.start(replay.header)] + replay.steps.map { .step($0) }
            if let end = replay.end { updates.append(.end(end)) }
            playground.receive(updates, lane: index)
        }
        playground.state.showGhosts = options.showGhosts
        playground.state.cursor = options.cursor
        let total = playground.state.totalSteps
        var lines: [String] = []
        let header: [String: Any] = [
            "version": 2, "width": options.size.columns, "height": options.size.rows,
            "title": "dllm-play · \(label)", "env": ["TERM": "xterm-256color", "SHELL": "/bin/sh"],
        ]
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        var time = 0.0
        for step in 0...total {
            playground.state.viewedStep = step
            playground.state.following = step == total
            playground.state.playing = step < total
            let screen = render(playground.state, theme: theme, size: options.size)
            var text = AnsiFrame.encode(screen, theme: theme)
            if step == 0 { text = AnsiFrame.hideCursor + AnsiFrame.clear + text }
            lines.append(try event(time, text))
            time += options.stepSeconds
        }
        lines.append(try event(time - options.stepSeconds + options.holdSeconds, AnsiFrame.showCursor))
        return lines.joined(separator: "\n") + "\n"
    }

    static func event(_ time: Double, _ text: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: [(time * 1000).rounded() / 1000, "o", text] as [Any], options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
