import Foundation
import Recording
import Testing
@testable import TerminalUI

@Suite struct RenderSnapshotTests {
    static let size = TerminalSize(columns: 80, rows: 24)

    static func state(step: Int, lanes: [Replay] = [SampleTrajectory.replay()]) -> PlaygroundState {
        var playground = Playground(sourceLabel: "replay demo.jsonl", isLive: false)
        for (index, replay) in lanes.enumerated() {
            var updates: [SourceUpdate] = [.start(replay.header)] + replay.steps.map { .step($0) }
            if let end = replay.end { updates.append(.end(end)) }
            playground.receive(updates, lane: index)
        }
        playground.state.viewedStep = step
        playground.state.playing = false
        playground.state.following = step == playground.state.totalSteps
        return playground.state
    }

    /// Compare mode at step 3: the sample trajectory beside a four-step "llada" lane still running.
    static func compareState() -> PlaygroundState {
        var second = SampleTrajectory.trajectory()
        second.header.decoder = "llada"
        second.steps = Array(second.steps.prefix(4))
        second.end = nil
        return state(step: 3, lanes: [SampleTrajectory.replay(), Replay(trajectory: second)])
    }

    static func screen(_ state: PlaygroundState, size: TerminalSize = size) -> Screen {
        render(state, theme: .builtIn, size: size)
    }

    @Test("the committed demo trajectory is what the generator writes")
    func fixtureMatchesGenerator() throws {
        let url = Fixtures.tui.appendingPathComponent("demo.jsonl")
        let data = try TrajectoryReader.encode(SampleTrajectory.trajectory())
        if Snapshot.updating { try data.write(to: url) }
        #expect(FileManager.default.contents(atPath: url.path) == data)
        let replay = SampleTrajectory.replay()
        #expect(replay.count == 7 && replay.note == nil && replay.latest.isComplete)
    }

    @Test("before the first step: prompt dimmed, every answer position masked")
    func initial() { Snapshot.check(Self.screen(Self.state(step: 0)), "step0-initial") }

    @Test("commit: step 1 highlights its commits; block open and cache build")
    func commitStep() { Snapshot.check(Self.screen(Self.state(step: 1)), "step1-commit-block-open-cache-build") }

    @Test("draft: a WINO draft is marked")
    func draftStep() { Snapshot.check(Self.screen(Self.state(step: 2)), "step2-draft") }

    @Test("remask: the revoked token flashes in the remask colour")
    func remaskStep() { Snapshot.check(Self.screen(Self.state(step: 3)), "step3-remask") }

    @Test("block change and cache refresh: the next block becomes active")
    func blockChange() { Snapshot.check(Self.screen(Self.state(step: 4)), "step4-block-advance-cache-refresh") }

    @Test("parameter change shows in the stats pane; wide characters take two cells")
    func parameterChange() { Snapshot.check(Self.screen(Self.state(step: 5)), "step5-parameter-change-wide") }

    @Test("force-fill: EOS fill marks the rest of the answer")
    func forceFill() { Snapshot.check(Self.screen(Self.state(step: 7)), "step7-force-fill") }

    @Test("inspector: cursor over a remasked position shows top-k and history")
    func inspector() {
        var state = Self.state(step: 4)
        state.cursor = SampleTrajectory.p(4)
        Snapshot.check(Self.screen(state), "inspector-remasked-position")
    }

    @Test("ghosts: masked positions show their top-1 prediction")
    func ghosts() {
        var state = Self.state(step: 1)
        state.showGhosts = true
        state.histogram = .entropy
        Snapshot.check(Self.screen(state), "ghosts-entropy-histogram")
    }

    @Test("help overlay lists the key map")
    func help() {
        var state = Self.state(step: 3)
        state.showHelp = true
        Snapshot.check(Self.screen(state), "help-overlay")
    }

    @Test("compare mode: two lanes side by side with their own stats")
    func compare() {
        let state = Self.compareState()
        Snapshot.check(Self.screen(state, size: TerminalSize(columns: 100, rows: 30)), "compare-mode")
    }

    @Test("compare mode with the inspector: both lanes inspect the same position")
    func compareInspector() {
        var state = Self.compareState()
        state.cursor = state.lanes[0].replay.header.promptTokens.count + 1
        state.compareShowsInspector = true
        let screen = Self.screen(state, size: TerminalSize(columns: 100, rows: 30))
        #expect(screen.lines.contains { $0.contains("─ inspector · fast-dllm") && $0.contains("─ inspector · llada") })
        #expect(!screen.lines.contains { $0.contains("─ stats ·") })
        Snapshot.check(screen, "compare-mode-inspector")
    }

    @Test("below 80x24 the screen says so")
    func tooSmall() {
        let screen = Self.screen(Self.state(step: 1), size: TerminalSize(columns: 60, rows: 20))
        #expect(screen.lines.contains { $0.contains("terminal too small (need 80x24, have 60x20)") })
        Snapshot.check(screen, "too-small")
    }

    @Test("a larger terminal shows the same content with more room")
    func large() { Snapshot.check(Self.screen(Self.state(step: 6), size: TerminalSize(columns: 120, rows: 36)), "large-120x36") }
}
