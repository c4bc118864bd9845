import Foundation
import Recording
import Testing
@testable import TerminalUI

@Suite struct PlaygroundTests {
    static let size = TerminalSize(columns: 80, rows: 24)

    static func loaded(isLive: Bool = false) -> Playground {
        var playground = Playground(sourceLabel: "test", isLive: isLive)
        let trajectory = SampleTrajectory.trajectory()
        playground.receive([.start(trajectory.header)] + trajectory.steps.map { .step($0) } + [.end(trajectory.end!)], lane: 0)
        return playground
    }

    @Test("playing advances one step per 1/speed seconds and then follows the end")
    func playback() {
        var playground = Self.loaded()
        #expect(playground.state.viewedStep == 0 && playground.state.stepsPerSecond == 4)
        playground.tick(now: 100)
        #expect(playground.state.viewedStep == 1)
        playground.tick(now: 100.1)
        #expect(playground.state.viewedStep == 1)
        playground.tick(now: 100.25)
        #expect(playground.state.viewedStep == 2)
        playground.tick(now: 110)
        #expect(playground.state.viewedStep == 7 && playground.state.following)
    }

    @Test("scrubbing: step back, single step, first and last step; the canvas is rebuilt exactly")
    func scrubbing() throws {
        var playground = Self.loaded()
        playground.tick(now: 0)
        playground.tick(now: 100)
        #expect(playground.state.viewedStep == 7)
        _ = playground.handle(.character(","), size: Self.size)
        #expect(playground.state.viewedStep == 6 && !playground.state.playing && !playground.state.following)
        _ = playground.handle(.home, size: Self.size)
        #expect(playground.state.viewedStep == 0)
        _ = playground.handle(.character("."), size: Self.size)
        _ = playground.handle(.character("."), size: Self.size)
        #expect(playground.state.viewedStep == 2)
        var canvas = Canvas(header: SampleTrajectory.header())
        for step in SampleTrajectory.steps().prefix(2) { try canvas.apply(step) }
        #expect(playground.state.lanes[0].replay.canvas(afterSteps: 2) == canvas)
        _ = playground.handle(.character("G"), size: Self.size)
        #expect(playground.state.viewedStep == 7 && playground.state.following)
    }

    @Test("compare mode: moving the cursor shows the inspector under both lanes; i toggles back to stats")
    func compareInspectorToggle() {
        var playground = Self.loaded()
        let trajectory = SampleTrajectory.trajectory()
        playground.receive([.start(trajectory.header)] + trajectory.steps.map { .step($0) }, lane: 1)
        #expect(playground.state.lanes.count == 2 && !playground.state.compareShowsInspector)
        _ = playground.handle(.character("l"), size: Self.size)
        #expect(playground.state.compareShowsInspector && playground.state.cursor != nil)
        _ = playground.handle(.character("i"), size: Self.size)
        #expect(!playground.state.compareShowsInspector)
        _ = playground.handle(.character("i"), size: Self.size)
        #expect(playground.state.compareShowsInspector)
    }

    @Test("speed keys move through the speed table and stop at its ends")
    func speed() {
        var playground = Self.loaded()
        for _ in 0..<20 { _ = playground.handle(.character("+"), size: Self.size) }
        #expect(playground.state.stepsPerSecond.isInfinite)
        for _ in 0..<20 { _ = playground.handle(.character("-"), size: Self.size) }
        #expect(playground.state.stepsPerSecond == 0.5)
    }

    @Test("cursor keys move the inspector cursor, starting at the answer")
    func cursor() {
        var playground = Self.loaded()
        _ = playground.handle(.right, size: Self.size)
        #expect(playground.state.cursor == SampleTrajectory.prompt.count)
        _ = playground.handle(.right, size: Self.size)
        #expect(playground.state.cursor == SampleTrajectory.prompt.count + 1)
        _ = playground.handle(.up, size: Self.size)
        #expect(playground.state.cursor! < SampleTrajectory.prompt.count)
        _ = playground.handle(.down, size: Self.size)
        #expect(playground.state.cursor! >= SampleTrajectory.prompt.count)
    }

    @Test("help opens with ? and Esc closes it before quitting")
    func helpAndQuit() {
        var playground = Self.loaded()
        _ = playground.handle(.character("?"), size: Self.size)
        #expect(playground.state.showHelp)
        #expect(playground.handle(.escape, size: Self.size).isEmpty)
        #expect(!playground.state.showHelp)
        #expect(playground.handle(.character("q"), size: Self.size) == [.quit])
    }

    @Test("replay refuses live-only keys with a message; live play turns them into controls")
    func liveControls() {
        var replay = Self.loaded()
        #expect(replay.handle(.character("]"), size: Self.size).isEmpty)
        #expect(replay.state.message?.contains("needs live play") == true)

        var live = Self.loaded(isLive: true)
        live.decoders = ["llada", "fast-dllm"]
        #expect(live.handle(.character(" "), size: Self.size) == [.control(.pause, lane: nil)])
        #expect(live.handle(.character(" "), size: Self.size) == [.control(.resume, lane: nil)])
        live.receive([.parameters(ParameterEditTests.descriptors)], lane: 0)
        // Parameters in table order: block_length, cache, steps, threshold (0.8 after the step-5
        // change). The decode has ended, so an edit restarts it with the new value.
        for _ in 0..<3 { _ = live.handle(.tab, size: Self.size) }
        #expect(live.handle(.character("]"), size: Self.size) == [.control(.setParameterAndRestart(key: "threshold", value: "0.85"), lane: 0)])
        _ = live.handle(.tab, size: Self.size)
        #expect(live.handle(.character("["), size: Self.size) == [.control(.setParameterAndRestart(key: "block_length", value: "4"), lane: 0)])
        #expect(live.handle(.character("d"), size: Self.size) == [.control(.switchDecoder("llada"), lane: 0)])
        #expect(live.handle(.character("r"), size: Self.size) == [.control(.restart(seed: nil), lane: nil)])
        #expect(live.handle(.character("s"), size: Self.size) == [.save])
        _ = live.handle(.character("e"), size: Self.size)
        #expect(live.state.input != nil)
        _ = live.handle(.backspace, size: Self.size)
        _ = live.handle(.character("!"), size: Self.size)
        let effects = live.handle(.enter, size: Self.size)
        #expect(effects == [.control(.editPrompt("Write a haiku about rain:!"), lane: nil)])
        #expect(live.state.input == nil)
    }

    @Test("a live single step at the newest step asks the source for one more")
    func liveSingleStep() {
        var live = Self.loaded(isLive: true)
        live.tick(now: 0)
        live.tick(now: 100)
        #expect(live.handle(.character("."), size: Self.size) == [.control(.pause, lane: nil), .control(.singleStep, lane: nil)])
        #expect(live.handle(.character("."), size: Self.size) == [.control(.singleStep, lane: nil)])
    }

    @Test("a new header (restart) resets the lane and the timeline")
    func restartResets() {
        var playground = Self.loaded(isLive: true)
        playground.tick(now: 0)
        playground.tick(now: 100)
        playground.receive([.start(SampleTrajectory.header())], lane: 0)
        #expect(playground.state.viewedStep == 0 && playground.state.totalSteps == 0)
    }

    @Test("a step the canvas rejects becomes a note on the status line")
    func badStepNote() {
        var playground = Playground(sourceLabel: "test", isLive: false)
        playground.receive([.start(SampleTrajectory.header()),
                            .step(StepRecord(step: 1, events: [.commit([Commit(position: 0, token: 3, confidence: 1, reason: .threshold)])]))], lane: 0)
        #expect(playground.state.notes.last?.hasPrefix("stopped at step 1") == true)
        let screen = render(playground.state, theme: .builtIn, size: Self.size)
        #expect(screen.lines[23].contains("stopped at step 1"))
    }

    @Test("a stream source delivers steps as they are written, without blocking")
    func streamedSource() throws {
        let pipe = Pipe()
        let source = StreamedSource(handle: pipe.fileHandleForReading, label: "-")
        #expect(source.drain().isEmpty)
        let data = try TrajectoryReader.encode(SampleTrajectory.trajectory())
        pipe.fileHandleForWriting.write(data)
        try pipe.fileHandleForWriting.close()
        var playground = Playground(sourceLabel: "stdin", isLive: false)
        let deadline = Date().addingTimeInterval(5)
        while !playground.state.isFinished && Date() < deadline {
            playground.receive(source.drain(), lane: 0)
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(playground.state.totalSteps == 7 && playground.state.isFinished)
    }
}

@Suite struct PlaygroundLiveTests {
    @Test("a live single step while paused is shown when it arrives")
    func singleStepShownOnArrival() {
        var live = Playground(sourceLabel: "live", isLive: true)
        live.state.playing = false
        live.receive([.start(SampleTrajectory.header())], lane: 0)
        #expect(live.handle(.character("."), size: PlaygroundTests.size) == [.control(.singleStep, lane: nil)])
        live.receive([.step(SampleTrajectory.steps()[0])], lane: 0)
        #expect(live.state.viewedStep == 1)
    }
}

@Suite struct PlaygroundNoteTests {
    @Test("where a cut-off file stopped stays on the status line; a live note goes with the next key")
    func notes() throws {
        let data = try TrajectoryReader.encode(SampleTrajectory.trajectory())
        let cut = try TrajectoryReader.read(data: data.prefix(data.count - 40), source: "cut.jsonl")
        var replay = Playground(sourceLabel: "replay", isLive: false)
        replay.receive(RecordedSource(trajectory: cut, label: "cut.jsonl").drain(), lane: 0)
        _ = replay.handle(.character("g"), size: PlaygroundTests.size)
        let screen = render(replay.state, theme: .builtIn, size: PlaygroundTests.size)
        #expect(screen.lines[23].contains("stopped at line"), "\(screen.lines[23])")
        #expect(replay.state.totalSteps == 7 && !replay.state.isFinished)

        var live = PlaygroundTests.loaded(isLive: true)
        live.receive([.note("restarted with seed 5")], lane: 0)
        #expect(render(live.state, theme: .builtIn, size: PlaygroundTests.size).lines[23].contains("restarted with seed 5"))
        _ = live.handle(.character("t"), size: PlaygroundTests.size)
        #expect(render(live.state, theme: .builtIn, size: PlaygroundTests.size).lines[23].contains("play/pause"))
    }
}
