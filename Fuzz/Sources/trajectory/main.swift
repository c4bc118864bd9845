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
    guard var trajectory = try? TrajectoryReader.read(data: data, source: "fuzz.jsonl") else { return 0 }
    if trajectory.note != nil {
        // Past the reader's checks: the step lines decoded as they are, so the panes meet values
        // no validated file holds (the formatters must be total on their own).
        let decoder = TrajectoryCoding.makeDecoder()
        let lines = data.split(separator: 0x0A).dropFirst().prefix(64)
        trajectory.steps = lines.compactMap { try? decoder.decode(StepRecord.self, from: Data($0)) }
        trajectory.note = nil
        trajectory.end = nil
    }
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
