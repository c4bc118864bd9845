import Foundation
import Recording

/// A terminal the run loop can draw on and read keys from. `NcursesBackend` is the real one.
public protocol TerminalBackend: AnyObject {
    var size: TerminalSize { get }
    func draw(_ screen: Screen)
    /// The next key, waiting at most `timeoutMilliseconds`; nil if none came.
    func readKey(timeoutMilliseconds: Int) -> KeyPress?
    /// A pending SIGINT/SIGTERM, taken (cleared) by the call.
    func takeSignal() -> Int32?
}

/// The UI loop: drain sources, advance the clock, read one key, draw. It never waits on a decode:
/// sources hand over whatever has arrived, and the key poll times out quickly.
public struct TerminalApp {
    public enum Exit: Equatable, Sendable {
        case quit
        case signal(Int32)
    }

    public var playground: Playground
    public let sources: [any PlaybackSource]
    public let theme: Theme
    /// Writes the lanes as trajectory files; returns a message for the status line.
    public var save: ([Replay]) -> String
    /// Where the export key writes its .cast.
    public var exportPath: () -> String = { "dllm-play.cast" }
    public var pollMilliseconds = 30

    public init(playground: Playground, sources: [any PlaybackSource], theme: Theme, save: @escaping ([Replay]) -> String) {
        self.playground = playground
        self.sources = sources
        self.theme = theme
        self.save = save
    }

    public mutating func run(on backend: any TerminalBackend, clock: () -> Double = { Date().timeIntervalSinceReferenceDate }) -> Exit {
        var lastScreen: Screen?
        while true {
            if let signal = backend.takeSignal() { return .signal(signal) }
            for (lane, source) in sources.enumerated() {
                let updates = source.drain()
                if !updates.isEmpty { playground.receive(updates, lane: lane) }
            }
            playground.tick(now: clock())
            let screen = render(playground.state, theme: theme, size: backend.size)
            if screen != lastScreen {
                backend.draw(screen)
                lastScreen = screen
            }
            guard let key = backend.readKey(timeoutMilliseconds: pollMilliseconds) else { continue }
            if key == .resize { lastScreen = nil; continue }
            for effect in playground.handle(key, size: backend.size) {
                switch effect {
                case .quit:
                    return .quit
                case .save:
                    playground.state.message = save(playground.state.lanes.map(\.replay))
                case .export:
                    playground.state.message = RecordingSaver.exportCast(playground.state, theme: theme, size: backend.size,
                                                                         path: exportPath())
                case .control(let control, let lane):
                    for (index, source) in sources.enumerated() where lane == nil || lane == index { source.send(control) }
                }
            }
        }
    }
}

/// Writes replays as trajectory files (the save key).
public enum RecordingSaver {
    /// Writes each lane to `base` (lane 2 gets "-2" before the extension); returns a status message.
    public static func save(_ replays: [Replay], base: String) -> String {
        var written: [String] = []
        for (index, replay) in replays.enumerated() {
            let path = index == 0 ? base : base.replacingOccurrences(of: ".jsonl", with: "") + "-\(index + 1).jsonl"
            do {
                let writer = try TrajectoryWriter(path: path)
                try writer.write(replay.header)
                for step in replay.steps { try writer.write(step) }
                if let end = replay.end { try writer.write(end) }
                written.append(path)
            } catch {
                return "could not save \(path): \(error)"
            }
        }
        return "saved " + written.joined(separator: ", ")
    }

    /// Renders every step received so far into an asciinema recording at the current size.
    public static func exportCast(_ state: PlaygroundState, theme: Theme, size: TerminalSize, path: String) -> String {
        var options = CastExport.Options()
        options.size = TerminalSize(columns: max(size.columns, TerminalSize.minimum.columns), rows: max(size.rows, TerminalSize.minimum.rows))
        options.showGhosts = state.showGhosts
        options.cursor = state.cursor
        do {
            let text = try CastExport.cast(lanes: state.lanes.map(\.replay), label: state.sourceLabel, theme: theme, options: options)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return "exported \(path)"
        } catch {
            return "could not export \(path): \(error)"
        }
    }
}
