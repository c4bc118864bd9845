import ArgumentParser
import Foundation
import Recording
import TerminalUI

/// `dllm-play replay FILE|-`: the playground on a recorded trajectory, or on one still being
/// written to standard input. No model needed.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded trajectory (FILE, or - to follow standard input) in the playground.")

    @Argument(help: "A trajectory file (.jsonl), or - to follow standard input as it is written.")
    var file: String

    @Option(help: "A second trajectory to show side by side (compare mode).")
    var compare: String?

    @OptionGroup var display: DisplayOptions

    func run() throws {
        if display.wantsPlain {
            try runPlain()
            return
        }
        var sources: [any PlaybackSource] = [try Self.source(file)]
        if let compare { sources.append(try Self.source(compare)) }
        let label = "replay " + (file == "-" ? "stdin" : URL(fileURLWithPath: file).lastPathComponent)
        try PlaygroundLauncher.runUI(sources: sources, label: label, isLive: false, display: display)
    }

    static func source(_ path: String) throws -> any PlaybackSource {
        if path == "-" { return StreamedSource(handle: .standardInput, label: "-") }
        do {
            return RecordedSource(trajectory: try TrajectoryReader.read(path: path), label: path)
        } catch {
            throw PlaygroundLauncher.fail("\(error)")
        }
    }

    private func runPlain() throws {
        if file == "-" {
            try followPlain()
            return
        }
        let trajectory: Trajectory
        do { trajectory = try TrajectoryReader.read(path: file) } catch { throw PlaygroundLauncher.fail("\(error)") }
        PlaygroundLauncher.printPlain(Replay(trajectory: trajectory))
    }

    /// Prints each step as its line arrives on standard input.
    private func followPlain() throws {
        var parser = TrajectoryParser(source: "standard input")
        var splitter = LineSplitter()
        var replay: Replay?
        func take(_ line: Data, isFinal: Bool) throws {
            let parsed: TrajectoryLine?
            do { parsed = try parser.parse(line: line, isFinal: isFinal) } catch { throw PlaygroundLauncher.fail("\(error)") }
            switch parsed {
            case .header(let header):
                replay = Replay(header: header)
                print("\(header.decoder) on \(header.model.name), seed \(header.seed), prompt: \(PlaygroundLauncher.oneLine(header.promptText))")
            case .step(let step):
                guard replay?.append(step) == true, let canvas = replay?.latest else { return }
                print(PlainReport.line(for: step, canvas: canvas))
                fflush(nil)
            case .end(let end):
                replay?.finish(end)
            case nil:
                break
            }
        }
        while true {
            let chunk = FileHandle.standardInput.availableData
            if chunk.isEmpty { break }
            for line in splitter.append(chunk) { try take(line, isFinal: false) }
        }
        if let last = splitter.finish() { try take(last, isFinal: true) }
        guard var replay else { throw PlaygroundLauncher.fail("standard input: no trajectory header arrived") }
        if let note = parser.stopNote { replay.stop(note) }
        print(PlainReport.summary(replay))
        print(PlainReport.answer(replay))
    }
}
