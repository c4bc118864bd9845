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

    /// Checked before reading anything: the size, the step time and the theme.
    func validate() throws {
        _ = try terminalSize()
        guard stepSeconds > 0, stepSeconds <= 3600 else { throw ValidationError("--step-seconds must be in (0, 3600] (got \(stepSeconds))") }
        if let theme {
            do { _ = try ThemeFile.load(theme, directories: PlaygroundLauncher.themeDirectories) } catch {
                throw ValidationError("--theme: \(error)")
            }
        }
    }

    private func terminalSize() throws -> TerminalSize {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let columns = parts[0], let rows = parts[1], (80...1000).contains(columns), (24...500).contains(rows) else {
            throw ValidationError("--size must be COLUMNSxROWS, from 80x24 to 1000x500 (got \(size))")
        }
        return TerminalSize(columns: columns, rows: rows)
    }

    func run() throws {
        let terminal = try terminalSize()
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
        options.size = terminal
        options.stepSeconds = stepSeconds
        options.showGhosts = ghosts
        let text = try CastExport.cast(lanes: lanes, label: "replay " + URL(fileURLWithPath: file).lastPathComponent,
                                       theme: parsed.theme, options: options)
        do { try OutputFile.write(Data(text.utf8), to: cast) } catch { throw PlaygroundLauncher.fail("\(error)") }
        print("wrote \(cast): \(lanes.map(\.count).max() ?? 0) steps, \(terminal.columns)x\(terminal.rows)")
        if let (path, note) = invalid { throw PlaygroundLauncher.invalidData(path, note) }
    }
}
