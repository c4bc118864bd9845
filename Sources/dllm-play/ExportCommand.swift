import ArgumentParser
import Foundation
import Recording
import TerminalUI

/// `dllm-play export FILE --cast OUT`: an asciinema v2 recording of a replay, frame by frame.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trajectory as an asciinema v2 .cast (the replay rendered frame by frame).")

    @Argument(help: "A trajectory file (.jsonl).")
    var file: String

    @Option(help: "Where to write the asciinema v2 recording.")
    var cast: String

    @Option(help: "A second trajectory to show side by side (compare mode).")
    var compare: String?

    @Option(help: "Terminal size of the recording, COLUMNSxROWS.")
    var size = "100x30"

    @Option(help: "Seconds each step stays on screen.")
    var stepSeconds = 0.25

    @Option(help: "Theme name or .theme file.")
    var theme: String?

    @Flag(help: "Show ghost top-1 predictions inside masked positions.")
    var ghosts = false

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 80, parts[1] >= 24, parts[0] <= 1000, parts[1] <= 500 else {
            throw ValidationError("--size must be COLUMNSxROWS, at least 80x24 (got \(size))")
        }
        guard stepSeconds > 0, stepSeconds.isFinite else { throw ValidationError("--step-seconds must be positive") }
        var lanes: [Replay] = []
        var invalid: (String, String)?
        for path in [file] + (compare.map { [$0] } ?? []) {
            let trajectory: Trajectory
            do { trajectory = try TrajectoryReader.read(path: path) } catch { throw PlaygroundLauncher.fail("\(error)") }
            if trajectory.hasInvalidData, let note = trajectory.note, invalid == nil { invalid = (path, note) }
            lanes.append(Replay(trajectory: trajectory))
        }
        let parsed = try PlaygroundLauncher.loadTheme(theme)
        for warning in parsed.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        var options = CastExport.Options()
        options.size = TerminalSize(columns: parts[0], rows: parts[1])
        options.stepSeconds = stepSeconds
        options.showGhosts = ghosts
        let text = try CastExport.cast(lanes: lanes, label: "replay " + URL(fileURLWithPath: file).lastPathComponent,
                                       theme: parsed.theme, options: options)
        do { try OutputFile.write(Data(text.utf8), to: cast) } catch { throw PlaygroundLauncher.fail("\(error)") }
        print("wrote \(cast): \(lanes.map(\.count).max() ?? 0) steps, \(parts[0])x\(parts[1])")
        if let (path, note) = invalid { throw PlaygroundLauncher.invalidData(path, note) }
    }
}
