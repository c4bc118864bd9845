import Recording
import Testing
@testable import TerminalUI

/// The run loop against a scripted terminal: no ncurses needed.
final class ScriptedBackend: TerminalBackend {
    var size = TerminalSize(columns: 80, rows: 24)
    var keys: [KeyPress?]
    var signal: Int32?
    private(set) var drawn: [Screen] = []

    init(keys: [KeyPress?], signal: Int32? = nil) {
        self.keys = keys
        self.signal = signal
    }

    func draw(_ screen: Screen) { drawn.append(screen) }
    func readKey(timeoutMilliseconds: Int) -> KeyPress? { keys.isEmpty ? .character("q") : keys.removeFirst() }
    func takeSignal() -> Int32? { defer { signal = nil }; return signal }
}

/// A live source that records the controls it gets.
final class RecordingControlsSource: PlaybackSource {
    let label = "fake"
    var isLive: Bool { true }
    var controls: [PlaybackControl] = []
    private var pending: [SourceUpdate] = [.start(SampleTrajectory.header())]
    func drain() -> [SourceUpdate] { defer { pending = [] }; return pending }
    func send(_ control: PlaybackControl) { controls.append(control) }
}

@Suite struct TerminalAppTests {
    static func app(sources: [any PlaybackSource], isLive: Bool = false) -> TerminalApp {
        TerminalApp(playground: Playground(sourceLabel: "test", isLive: isLive), sources: sources, theme: .builtIn) { _ in "saved" }
    }

    @Test("keys drive the screen: first step, single step, help, quit")
    func scriptedSession() {
        let source = RecordedSource(trajectory: SampleTrajectory.trajectory(), label: "demo")
        var app = Self.app(sources: [source])
        let backend = ScriptedBackend(keys: [.character("g"), .character("."), .character("?"), .escape, .character("q")])
        var time = 0.0
        let exit = app.run(on: backend) { time += 0.01; return time }
        #expect(exit == .quit)
        #expect(backend.drawn.contains { $0.lines[22].contains("step 1/7") })
        #expect(backend.drawn.contains { $0.lines.joined().contains("pause / resume") })
        #expect(app.playground.state.viewedStep == 1 && !app.playground.state.showHelp)
    }

    @Test("a pending SIGTERM ends the loop before anything else")
    func signalEndsTheLoop() {
        var app = Self.app(sources: [])
        let exit = app.run(on: ScriptedBackend(keys: [], signal: 15))
        #expect(exit == .signal(15))
    }

    @Test("identical frames are drawn once")
    func unchangedFramesAreSkipped() {
        let source = RecordedSource(trajectory: SampleTrajectory.trajectory(), label: "demo")
        var app = Self.app(sources: [source])
        app.playground.state.playing = false
        let backend = ScriptedBackend(keys: [nil, nil, nil, .character("q")])
        _ = app.run(on: backend) { 0 }
        #expect(backend.drawn.count == 1)
    }

    @Test("restart sends the same new seed to every lane; single-lane controls go to lane 0 only")
    func controlsReachTheLanes() {
        let first = RecordingControlsSource(), second = RecordingControlsSource()
        var app = Self.app(sources: [first, second], isLive: true)
        app.playground.decoders = ["llada", "fast-dllm"]
        _ = app.run(on: ScriptedBackend(keys: [.character("r"), .character("d"), .character("q")])) { 0 }
        guard case .restart(let seed)? = first.controls.first, seed != nil else {
            Issue.record("no restart with a seed: \(first.controls)")
            return
        }
        #expect(second.controls == [.restart(seed: seed)])
        #expect(first.controls == [.restart(seed: seed), .switchDecoder("llada")])
    }
}
