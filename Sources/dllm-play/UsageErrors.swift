import ArgumentParser
import Foundation

/// How the command line reports a failure: one line on standard error, naming the subcommand.
/// A usage error (a bad flag, a value out of range, a missing argument) also shows that
/// subcommand's usage on the same line and exits 64 (EX_USAGE); help and version print as usual.
enum UsageErrors {
    static func exit(with error: any Error, arguments: [String]) -> Never {
        let code = DllmPlay.exitCode(for: error)
        if error is ExitCode {
            // Already reported by the command that threw it.
            Foundation.exit(code.rawValue)
        }
        if code == .success {
            DllmPlay.exit(withError: error)  // --help, --version
        }
        let command = subcommand(in: arguments)
        let name = subcommandName(in: arguments)
        var line = "dllm-play \(name): \(oneLine(DllmPlay.message(for: error)))"
        if code == .validationFailure {
            let usage = oneLine(DllmPlay.usageString(for: command))
            line += " (usage: \(usage); see 'dllm-play \(name) --help')"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
        Foundation.exit(code.rawValue)
    }

    /// The subcommand the arguments name (the first word that is not an option), else the default.
    static func subcommand(in arguments: [String]) -> ParsableCommand.Type {
        let subcommands = DllmPlay.configuration.subcommands
        if let word = arguments.first(where: { !$0.hasPrefix("-") }),
           let match = subcommands.first(where: { ($0.configuration.commandName ?? "\($0)".lowercased()) == word }) {
            return match
        }
        return DllmPlay.configuration.defaultSubcommand ?? DllmPlay.self
    }

    static func subcommandName(in arguments: [String]) -> String {
        let command = subcommand(in: arguments)
        return command.configuration.commandName ?? "\(command)".lowercased()
    }

    /// The parser's message on one line: "Error: " dropped, a list of valid values joined with commas.
    static func oneLine(_ message: String) -> String {
        var text = message
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        var parts: [String] = []
        var choices: [String] = []
        for raw in text.split(separator: "\n") {
            let piece = raw.trimmingCharacters(in: .whitespaces)
            if piece.hasPrefix("- ") { choices.append(String(piece.dropFirst(2))); continue }
            if piece.hasPrefix("Help:") || piece.isEmpty { continue }
            parts.append(piece.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }
        var result = parts.joined(separator: " ")
        if !choices.isEmpty { result += " " + choices.joined(separator: ", ") }
        return result
    }
}
