import ArgumentParser
import Foundation
import Recording
import TerminalUI

/// `dllm-play analyze FILE [--json]`: decode order, AR-ness, answer emergence and revocations of a
/// recorded trajectory (definitions in docs/analysis.md).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Decode order, AR-ness, answer emergence and revocations of a recorded trajectory.")

    @Argument(help: "A trajectory file (.jsonl).")
    var file: String

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        let trajectory: Trajectory
        do { trajectory = try TrajectoryReader.read(path: file) } catch { throw PlaygroundLauncher.fail("\(error)") }
        let replay = Replay(trajectory: trajectory)
        try report(replay)
        if trajectory.hasInvalidData, let note = trajectory.note { throw PlaygroundLauncher.invalidData(file, note) }
    }

    /// The analysis of the kept steps, as a table or one JSON object.
    private func report(_ replay: Replay) throws {
        let analysis = TrajectoryAnalysis(replay)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(analysis), as: UTF8.self))
            return
        }
        let percent = { (x: Double?) in x.map { String(format: "%.0f %%", $0 * 100) } ?? "n/a" }
        print(PlainReport.printable("trajectory   \(file): \(replay.header.decoder), \(analysis.steps) steps\(replay.note.map { " (\(PlainReport.oneLine($0)))" } ?? "")"))
        print("AR-ness      \(analysis.arness.map { String(format: "%.3f", $0) } ?? "n/a") over \(analysis.usefulLength) useful positions"
              + " (1 = left to right)")
        print("emergence    " + (analysis.emergenceStep.map { "step \($0) of \(analysis.steps) (\(percent(analysis.emergenceFraction)))" }
                                 ?? "never (the answer is not complete)"))
        print("revocations  \(analysis.remasked) remasked, \(analysis.remaskedChanged) ended different")
        print("decode order step at which each answer position took its final token (· = never)")
        let width = String(analysis.steps).count
        let cells = analysis.decodeOrder.map { $0.map { String(repeating: " ", count: width - String($0).count) + String($0) }
                                               ?? String(repeating: " ", count: width - 1) + "·" }
        for row in stride(from: 0, to: cells.count, by: 16) {
            print("  " + cells[row..<min(row + 16, cells.count)].joined(separator: " "))
        }
    }
}
