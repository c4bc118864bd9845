import CFuzzDriver
import Foundation
import Recording
import TerminalUI

/// A trajectory (header line, step lines, end line): must read or throw; whatever is kept must
/// replay and render (stats, inspector, plain report) without trapping.
@_cdecl("fuzz_trajectory_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTrajectory(data.map(UnsafeRawPointer.init), size) }
}

func fuzzTrajectory(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let trajectory = try? TrajectoryReader.read(data: data, source: "fuzz.jsonl") else { return 0 }
    let replay = Replay(trajectory: trajectory)
    _ = PlainReport.summary(replay)
    _ = PlainReport.answer(replay)
    // Render the final step and the middle one, ghosts on, both histograms, the inspector on the
    // first answer position and on the last position: what `replay` and `export --cast` show.
    var playground = Playground(sourceLabel: "fuzz", isLive: false)
    var updates: [SourceUpdate] = [.start(replay.header)] + replay.steps.map { .step($0) }
    if let end = replay.end { updates.append(.end(end)) }
    playground.receive(updates, lane: 0)
    playground.state.showGhosts = true
    let total = playground.state.totalSteps
    for step in Set([total, total / 2]) {
        for cursor in Set([replay.header.promptTokens.count, replay.header.canvasLength - 1]) {
            for histogram in [HistogramMetric.confidence, .entropy] {
                playground.state.viewedStep = step
                playground.state.following = step == total
                playground.state.cursor = cursor
                playground.state.histogram = histogram
                _ = render(playground.state, theme: .builtIn, size: TerminalSize(columns: 100, rows: 30))
            }
        }
    }
    return 0
}
