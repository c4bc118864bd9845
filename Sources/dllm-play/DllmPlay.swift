import ArgumentParser
import Foundation
import Kernels

@main
struct DllmPlay: ParsableCommand {
    static let versionNumber = "0.1.0"

    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "dllm-play",
            abstract: "A terminal playground for watching diffusion language models decode.",
            version: "dllm-play \(versionNumber) (\(BLASRuntime.summary); \(GEMMChoice.summary))",
            subcommands: [PlayCommand.self, ReplayCommand.self, ExportCommand.self, AnalyzeCommand.self, PlotCommand.self, Run.self, Decoders.self, Bench.self, ModelInfo.self, Tokenize.self],
            defaultSubcommand: PlayCommand.self)
    }

    static func main() {
        OpenBLASLauncher.selectCoreIfNeeded()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            UsageErrors.exit(with: error, arguments: arguments)
        }
    }

    func run() throws {
        print(DllmPlay.helpMessage())
        print()
        print(KernelSelfCheck.run())
    }
}
