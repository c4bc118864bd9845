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
        if trajectory.hasInvalidData, let note = trajectory.note { throw PlaygroundLauncher.invalidData(file, note) }
    }

    /// Prints each step as its line arrives on standard input. The parser validates every line
    /// exactly as it does for a file, so both stop at the same place with the same note.
    private func followPlain() throws {
        var parser = TrajectoryParser(source: "standard input")
        let reader = ChunkReader(fileDescriptor: STDIN_FILENO)
        var replay: Replay?
        func take(_ lines: [TrajectoryLine]) {
            for line in lines {
                switch line {
                case .header(let header):
                    replay = Replay(header: header)
                    print(PlainReport.heading(header))
                case .step(let step):
                    guard replay?.append(step) == true, let canvas = replay?.latest else { continue }
                    print(PlainReport.line(for: step, canvas: canvas))
                    fflush(nil)
                case .end(let end):
                    replay?.finish(end)
                }
            }
        }
        do {
            while !parser.isStopped {  // after a stop nothing more is read (an endless input ends)
                let chunk = try reader.next()
                if chunk.isEmpty { break }
                take(try parser.consume(chunk))
            }
            take(try parser.finish())
        } catch let error as TrajectoryError {
            throw PlaygroundLauncher.fail("\(error)")
        } catch {
            throw PlaygroundLauncher.fail("standard input: cannot read: \(error)")
        }
        guard var replay else { throw PlaygroundLauncher.fail("standard input:1: expected a trajectory header line; found an empty input") }
        if let note = parser.stopNote { replay.stop(note) }
        print(PlainReport.summary(replay))
        print(PlainReport.answer(replay))
        if let note = parser.stopNote, !parser.isCutOff { throw PlaygroundLauncher.invalidData("standard input", note) }
    }
}
