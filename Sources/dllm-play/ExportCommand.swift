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

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 80, parts[1] >= 24, parts[0] <= 1000, parts[1] <= 500 else {
            throw ValidationError("--size must be COLUMNSxROWS, at least 80x24 (got \(size))")
        }
        guard stepSeconds > 0, stepSeconds.isFinite else { throw ValidationError("--step-seconds must be positive") }
        guard cast != nil || svg != nil || html != nil else {
            throw ValidationError("nothing to export: give --cast OUT.cast, --html OUT.html and/or --svg OUT.svg")
        }
        if let step, step < 0 { throw ValidationError("--step must be 0 or more (got \(step))") }
        guard let version = CastExport.Version(rawValue: castVersion) else {
            throw ValidationError("--cast-version must be 2 or 3 (got \(castVersion))")
        }
        var lanes: [Replay] = []
        for path in [file] + (compare.map { [$0] } ?? []) {
            do { lanes.append(Replay(trajectory: try TrajectoryReader.read(path: path))) } catch { throw PlaygroundLauncher.fail("\(error)") }
        }
        let parsed = try PlaygroundLauncher.loadTheme(theme)
        for warning in parsed.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        var options = CastExport.Options()
        options.size = TerminalSize(columns: parts[0], rows: parts[1])
        options.stepSeconds = stepSeconds
        options.showGhosts = ghosts
        options.version = version
        let label = "replay " + URL(fileURLWithPath: file).lastPathComponent
        if let cast {
            let text = try CastExport.cast(lanes: lanes, label: label, theme: parsed.theme, options: options)
            guard FileManager.default.createFile(atPath: cast, contents: Data(text.utf8)) else {
                throw PlaygroundLauncher.fail("cannot write \(cast)")
            }
            print("wrote \(cast): asciicast v\(castVersion), \(lanes.map(\.count).max() ?? 0) steps, \(parts[0])x\(parts[1])")
        }
        if let html {
            let page = try HTMLExport.html(lanes: lanes, label: label, theme: parsed.theme)
            guard FileManager.default.createFile(atPath: html, contents: Data(page.utf8)) else {
                throw PlaygroundLauncher.fail("cannot write \(html)")
            }
            print("wrote \(html): \(lanes.count) lane(s), \(lanes.map(\.count).max() ?? 0) steps")
        }
        if let svg {
            let steps = lanes.map(\.count).max() ?? 0
            let shown = min(step ?? steps, steps)
            let image = SVGExport.still(lanes: lanes, label: label, theme: parsed.theme, size: options.size, step: shown,
                                        showGhosts: ghosts, legend: legend)
            guard FileManager.default.createFile(atPath: svg, contents: Data(image.utf8)) else {
                throw PlaygroundLauncher.fail("cannot write \(svg)")
            }
            print("wrote \(svg): step \(shown) of \(steps), \(parts[0])x\(parts[1])")
        }
    }
}
