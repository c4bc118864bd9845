import ArgumentParser
import Foundation
import Recording
import TerminalUI

/// Options every UI command shares.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Theme name (default, light, mono) or path to a .theme file. NO_COLOR selects mono.")
    var theme: String?

    @Flag(help: "No terminal UI: one line per step, then the final text (also when stdout is not a terminal).")
    var plain = false

    var wantsPlain: Bool { plain || isatty(STDOUT_FILENO) == 0 }

    /// The theme is found and read even when the plain output will not use it: a named theme that
    /// does not exist is a usage error, not silently ignored.
    func validate() throws {
        guard let theme else { return }
        do { _ = try ThemeFile.load(theme, directories: PlaygroundLauncher.themeDirectories) } catch {
            throw ValidationError("--theme: \(error)")
        }
    }
}

/// Starts the terminal UI (or the plain output) for the play and replay commands.
enum PlaygroundLauncher {
    /// Where theme names are looked up: $DLLM_PLAY_THEMES, themes/ beside the executable or its
    /// build folder, then themes/ in the current directory.
    static var themeDirectories: [String] {
        var directories: [String] = []
        if let custom = ProcessInfo.processInfo.environment["DLLM_PLAY_THEMES"] { directories.append(custom) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = executable
        for _ in 0..<4 {
            directories.append(folder.appendingPathComponent("themes").path)
            folder = folder.deletingLastPathComponent()
        }
        directories.append(FileManager.default.currentDirectoryPath + "/themes")
        return directories
    }

    static var noColor: Bool { !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty }

    /// The chosen theme and any warnings its file produced.
    static func loadTheme(_ name: String?) throws -> ThemeFile.Parsed {
        let chosen = name ?? (noColor ? "mono" : "default")
        do {
            return try ThemeFile.load(chosen, directories: themeDirectories)
        } catch {
            throw PlaygroundLauncher.fail("\(error)")
        }
    }

    /// Runs the UI until the user quits; exits the process on SIGINT/SIGTERM after restoring the terminal.
    static func runUI(sources: [any PlaybackSource], label: String, isLive: Bool, decoders: [String] = [],
                      startPaused: Bool = false, display: DisplayOptions) throws {
        let parsed = try loadTheme(display.theme)
        for warning in parsed.warnings { FileHandle.standardError.write(Data("warning: \(PlainReport.printable(PlainReport.oneLine(warning)))\n".utf8)) }
        var playground = Playground(sourceLabel: label, isLive: isLive)
        playground.decoders = decoders
        playground.state.playing = !startPaused
        playground.state.notes = parsed.warnings
        var app = TerminalApp(playground: playground, sources: sources, theme: parsed.theme) { replays in
            RecordingSaver.save(replays, base: savePath())
        }
        app.exportPath = { savePath().replacingOccurrences(of: ".jsonl", with: ".cast") }
        let backend = NcursesBackend(theme: parsed.theme, useColor: true)
        let exit = app.run(on: backend)
        backend.close()
        for source in sources { source.close() }
        if case .signal(let number) = exit { Foundation.exit(128 + number) }
    }

    /// Prints "dllm-play SUBCOMMAND: message" to standard error (on one line, control characters
    /// made visible); throw the result to exit with status 2.
    static func fail(_ message: String) -> ExitCode {
        let command = UsageErrors.subcommandName(in: Array(CommandLine.arguments.dropFirst()))
        FileHandle.standardError.write(Data("dllm-play \(command): \(PlainReport.printable(PlainReport.oneLine(message)))\n".utf8))
        return ExitCode(2)
    }

    /// A trajectory that stopped on invalid data (not merely cut off): what was kept has been
    /// shown; this says where it stopped, on standard error, and exits with status 65 (EX_DATAERR).
    static func invalidData(_ source: String, _ note: String) -> ExitCode {
        _ = fail("\(source): \(note) (hint: the steps before it were kept; the file was edited or written by another program)")
        return ExitCode(65)
    }

    static func oneLine(_ text: String) -> String { PlainReport.oneLine(text) }

    static func savePath() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "dllm-play-\(formatter.string(from: Date())).jsonl"
    }

    /// Plain output of a whole replay: one line per step as it is applied, then the answer.
    static func printPlain(_ replay: Replay) {
        var canvas = Canvas(header: replay.header)
        print(PlainReport.heading(replay.header))
        for step in replay.steps {
            try? canvas.apply(step)
            print(PlainReport.line(for: step, canvas: canvas))
        }
        print(PlainReport.summary(replay))
        print(PlainReport.answer(replay))
    }
}
