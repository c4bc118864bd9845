import ArgumentParser
import Foundation
import Recording
import TerminalUI

/// `dllm-play export FILE --cast OUT`: an asciicast recording of a replay, frame by frame (v3 by
/// default, v2 with `--cast-version 2`), with markers at the steps worth jumping to.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trajectory as an asciicast .cast (the replay rendered frame by frame, with markers).")

    @Argument(help: "A trajectory file (.jsonl).")
    var file: String

    @Option(help: "Where to write the asciicast recording.")
    var cast: String?

    @Option(help: "Where to write a self-contained HTML player (plays in any browser, no network).")
    var html: String?

    @Option(help: "Where to write an SVG still of one step.")
    var svg: String?

    @Option(help: "The step the SVG shows (default: the last).")
    var step: Int?

    @Flag(help: "Add a legend of the colours under the SVG still.")
    var legend = false

    @Option(help: "asciicast version: 3 (asciinema 3) or 2 (older players).")
    var castVersion = 3

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

    @Flag(help: "Draw the decode-order map (each written position as the step that wrote it) in the cast and the SVG; the HTML player starts with it on.")
    var order = false

    /// Checked before reading anything: the size, the step time and the theme.
    func validate() throws {
        _ = try terminalSize()
        guard stepSeconds > 0, stepSeconds <= 3600 else { throw ValidationError("--step-seconds must be in (0, 3600] (got \(stepSeconds))") }
        if let theme {
            do { _ = try ThemeFile.load(theme, directories: PlaygroundLauncher.themeDirectories) } catch {
                throw ValidationError("--theme: \(error)")
            }
        }
        guard cast != nil || svg != nil || html != nil else {
            throw ValidationError("nothing to export: give --cast OUT.cast, --html OUT.html and/or --svg OUT.svg")
        }
        if let step { try OptionRange.check(step, 0...Int(Int32.max), "--step") }
        guard CastExport.Version(rawValue: castVersion) != nil else {
            throw ValidationError("--cast-version must be 2 or 3 (got \(castVersion))")
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
        guard let version = CastExport.Version(rawValue: castVersion) else { throw ValidationError("--cast-version must be 2 or 3") }
        var lanes: [Replay] = []
        var invalid: (String, String)?
        for path in [file] + (compare.map { [$0] } ?? []) {
            let trajectory: Trajectory
            do { trajectory = try TrajectoryReader.read(path: path) } catch { throw PlaygroundLauncher.fail("\(error)") }
            if trajectory.hasInvalidData, let note = trajectory.note, invalid == nil { invalid = (path, note) }
            lanes.append(Replay(trajectory: trajectory))
        }
        let parsed = try PlaygroundLauncher.loadTheme(theme)
        for warning in parsed.warnings { FileHandle.standardError.write(Data("warning: \(PlainReport.printable(PlainReport.oneLine(warning)))\n".utf8)) }
        var options = CastExport.Options()
        options.size = terminal
        options.stepSeconds = stepSeconds
        options.showGhosts = ghosts
        options.showOrder = order
        options.version = version
        let label = "replay " + URL(fileURLWithPath: file).lastPathComponent
        if let cast {
            let text = try CastExport.cast(lanes: lanes, label: label, theme: parsed.theme, options: options)
            do { try OutputFile.write(Data(text.utf8), to: cast) } catch { throw PlaygroundLauncher.fail("\(error)") }
            print("wrote \(cast): asciicast v\(castVersion), \(lanes.map(\.count).max() ?? 0) steps, \(terminal.columns)x\(terminal.rows)")
        }
        if let html {
            let page = try HTMLExport.html(lanes: lanes, label: label, theme: parsed.theme, showOrder: order)
            do { try OutputFile.write(Data(page.utf8), to: html) } catch { throw PlaygroundLauncher.fail("\(error)") }
            print("wrote \(html): \(lanes.count) lane(s), \(lanes.map(\.count).max() ?? 0) steps")
        }
        if let svg {
            let steps = lanes.map(\.count).max() ?? 0
            let shown = min(step ?? steps, steps)
            let image = SVGExport.still(lanes: lanes, label: label, theme: parsed.theme, size: options.size, step: shown,
                                        showGhosts: ghosts, showOrder: order, legend: legend)
            do { try OutputFile.write(Data(image.utf8), to: svg) } catch { throw PlaygroundLauncher.fail("\(error)") }
            print("wrote \(svg): step \(shown) of \(steps), \(terminal.columns)x\(terminal.rows)")
        }
        if let (path, note) = invalid { throw PlaygroundLauncher.invalidData(path, note) }
    }
}
