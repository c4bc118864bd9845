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
    public private(set) var sources: [any PlaybackSource]
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
            let screen = render(playground.state, theme: theme, size: backend.size, keyMap: playground.keyMap)
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
                case .branch(let step):
                    if let branch = sources.first?.branch(atStep: step) {
                        sources.append(branch)
                        playground.state.editLane = sources.count - 1
                        playground.state.selectedParameter = 0
                    } else {
                        playground.state.message = "this source cannot branch (branching re-simulates a live decode)"
                    }
                case .export:
                    playground.state.message = RecordingSaver.exportCast(playground.state, theme: theme, size: backend.size,
                                                                         path: exportPath())
                case .control(var control, let lane):
                    // One new seed for every lane, so compared decoders stay on the same seed.
                    if control == .restart(seed: nil) { control = .restart(seed: UInt64.random(in: 0...UInt64(UInt32.max))) }
                    for (index, source) in sources.enumerated() where lane == nil || lane == index { source.send(control) }
                }
            }
        }
    }
}
