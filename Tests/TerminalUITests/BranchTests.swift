import Foundation
import Recording
import Testing
@testable import TerminalUI

/// A live source whose branch is a recorded copy of the sample's first steps.
final class BranchingSource: PlaybackSource {
    let label = "fake"
    var isLive: Bool { true }
    var branchedAt: Int?
    private var pending: [SourceUpdate]
    init(_ updates: [SourceUpdate]) { pending = updates }
    func drain() -> [SourceUpdate] { defer { pending = [] }; return pending }
    func branch(atStep step: Int) -> (any PlaybackSource)? {
        branchedAt = step
        var header = SampleTrajectory.header()
        header.branch = BranchOrigin(parentFile: nil, step: step)
        return BranchingSource([.start(header)] + SampleTrajectory.steps().prefix(step).map { .step($0) })
    }
}

@Suite struct BranchTests {
    @Test("b at a past step forks a second lane that shares steps 0…k; edits then go to the branch")
    func branchKey() {
        let source = BranchingSource([.start(SampleTrajectory.header())] + SampleTrajectory.steps().map { .step($0) })
        var app = TerminalApp(playground: Playground(sourceLabel: "live", isLive: true), sources: [source], theme: .builtIn) { _ in "" }
        let backend = ScriptedBackend(keys: [nil, .character("g"), .character("."), .character("."), .character("."), .character("b"), nil, nil])
        var time = 0.0
        _ = app.run(on: backend) { time += 0.01; return time }
        #expect(source.branchedAt == 3)
        let state = app.playground.state
        #expect(state.lanes.count == 2 && state.editLane == 1)
        #expect(state.lanes[1].replay.header.branch?.step == 3 && state.lanes[1].replay.count == 3)
        #expect(state.lanes[1].replay.canvas(afterSteps: 3) == state.lanes[0].replay.canvas(afterSteps: 3))
        #expect(backend.drawn.contains { $0.lines[1].contains("branch of step 3") })
    }

    @Test("branching needs a single lane")
    func compareRefuses() {
        var playground = Playground(sourceLabel: "live", isLive: true)
        playground.receive([.start(SampleTrajectory.header())], lane: 0)
        playground.receive([.start(SampleTrajectory.header())], lane: 1)
        #expect(playground.handle(.character("b"), size: PlaygroundTests.size).isEmpty)
        #expect(playground.state.message?.contains("single lane") == true)
    }

    @Test("a saved branch names its parent's file and step")
    func savedBranchNamesParent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-branch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var header = SampleTrajectory.header()
        header.branch = BranchOrigin(parentFile: nil, step: 2)
        let base = folder.appendingPathComponent("run.jsonl").path
        _ = RecordingSaver.save([SampleTrajectory.replay(), Replay(header: header)], base: base)
        let saved = try TrajectoryReader.read(path: folder.appendingPathComponent("run-2.jsonl").path)
        #expect(saved.header.branch == BranchOrigin(parentFile: "run.jsonl", step: 2))
    }
}

/// Races of up to four decoders (`play --compare a,b,c`): lanes side by side with their own stats.
@Suite struct RaceLayoutTests {
    @Test("four lanes share the width, each with its canvas and stats")
    func fourLanes() {
        let lanes = ["fast-dllm", "llada", "d3llm", "wino"].enumerated().map { index, decoder -> Replay in
            var trajectory = SampleTrajectory.trajectory()
            trajectory.header.decoder = decoder
            trajectory.steps = Array(trajectory.steps.prefix(7 - index))
            if index > 0 { trajectory.end = nil }
            return Replay(trajectory: trajectory)
        }
        let state = RenderSnapshotTests.state(step: 3, lanes: lanes)
        let screen = render(state, theme: .builtIn, size: TerminalSize(columns: 120, rows: 30))
        Snapshot.check(screen, "race-four-lanes")
        #expect(screen.lines[0].contains("fast-dllm vs llada vs d3llm vs wino"))
        for decoder in ["fast-dllm", "llada", "d3llm", "wino"] {
            #expect(screen.lines[1].contains("canvas · \(String(decoder.prefix(5)))"), "\(screen.lines[1])")
        }
        #expect(PaneLayout(size: TerminalSize(columns: 120, rows: 30), lanes: 4).laneX(3) == 3 * (29 + 1))
    }
}
