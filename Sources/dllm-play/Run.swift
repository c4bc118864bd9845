import ArgumentParser
import Decoding
import Foundation
import Modeling
import Recording
import TerminalUI
import Tokenization

/// `dllm-play run`: one decode without a UI; prints the answer, NFE, TPF and time.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Decode one prompt headless and print the answer, NFE, TPF and time.")

    @OptionGroup var options: DecodeOptions
    @Option(help: "The user message.")
    var prompt: String
    @Option(help: "Write the trajectory as JSON Lines to FILE (- for standard output).")
    var record: String?
    @Flag(name: .customLong("no-timings"), help: "Zero every wall time in the record (byte-identical reruns).")
    var noTimings = false
    @Flag(help: "Print one JSON object with answer, nfe, tpf and seconds.")
    var json = false

    func run() throws {
        let decoder: any Decoder
        do { decoder = try DecoderRegistry.make(options.decoder.id, settings: options.settings, answerLength: options.genLength) } catch { throw fail(error.description) }

        let loaded: LoadedModel
        do { loaded = try LoadedModel(options) } catch { throw fail(error.description) }
        let promptTokens: [Int]
        do { promptTokens = try loaded.promptTokens(for: prompt) } catch { throw fail("\(error)") }
        let predictor = loaded.predictor
        let setup = loaded.sessionSetup(promptTokens: promptTokens, prompt: prompt, seed: options.seed, recordsTimings: !noTimings)
        let session: Session
        do { session = try Session(decoder: decoder, predictor: predictor, setup: setup) } catch {
            throw fail(error.description)
        }
        var writeError: (any Error)?
        if let record {
            let writer = try TrajectoryWriter(path: record)
            session.addConsumer { output in
                do { try writer.write(output) } catch { writeError = error }
            }
        }
        let clock = ContinuousClock.now
        let end = session.run()
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let writeError { throw fail("cannot write \(record ?? ""): \(writeError)") }
        if json {
            let object: [String: Any] = ["answer": end.answerText, "nfe": end.nfe, "tpf": end.tokensPerForward, "seconds": seconds]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if record != "-" {
            print(PlainReport.printable(end.answerText))
            print(String(format: "decoder %@  NFE %d  TPF %.2f  useful tokens %d  %.2f s (%@)", decoder.id, end.nfe,
                         end.tokensPerForward, end.usefulTokens, seconds, end.reason.rawValue))
        }
        if end.reason == .error { throw fail(end.message ?? "decode failed") }
    }

    /// Prints one line to standard error; the caller throws the returned exit code.
    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("dllm-play run: \(message)\n".utf8))
        return ExitCode(2)
    }

    /// A relative model path is looked up in the current directory, then next to the executable's
    /// package root (the binary lives in <root>/.build/<config>/).
    static func locate(_ path: String) -> URL {
        let direct = URL(fileURLWithPath: path)
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: direct.path) { return direct }
        var root = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = root.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            root.deleteLastPathComponent()
        }
        return direct
    }
}
