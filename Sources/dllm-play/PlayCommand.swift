import ArgumentParser
import Decoding
import Foundation
import Modeling
import Recording
import TerminalUI
import Tokenization

/// `dllm-play play` (the default command): the playground on a live decode.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "The playground: watch a decoder fill the canvas, live, and steer it.")

    @OptionGroup var options: DecodeOptions
    /// A 4x4 Sudoku the embedded model solves: 19 answer tokens filled out of left-to-right order,
    /// which is what the playground is for (its word problems still come out wrong; see its card).
    @Option(help: "The user message.")
    var prompt = "Solve this 4x4 Sudoku (0 marks a blank, rows separated by spaces): 3104 0030 1302 0200"
    @Option(help: "Write the trajectory as JSON Lines to FILE as it is decoded (- for standard output, with --plain).")
    var record: String?
    @Option(help: "Decoders to race side by side on the same prompt and seed: one id, or up to three comma-separated (a,b,c).")
    var compare: String?

    /// The --compare ids, in order (empty without the option).
    var compared: [String] {
        compare.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
    }
    @Flag(help: "Start paused (step with . or resume with space).")
    var paused = false
    @OptionGroup var display: DisplayOptions

    /// --compare: at most three ids, each a registered decoder (a usage error otherwise).
    func validate() throws {
        guard compared.count <= 3 else {
            throw ValidationError("--compare takes at most three decoders (four lanes in all), got \(compared.count)")
        }
        for id in compared where !DecoderRegistry.ids.contains(id) {
            throw ValidationError("--compare '\(compare ?? "")': \(id.isEmpty ? "an empty id" : "unknown decoder '\(id)'")"
                                  + "; valid: \(DecoderRegistry.ids.joined(separator: ", "))")
        }
    }

    func run() throws {
        let first = LiveConfiguration(decoder: options.decoder.id, settings: options.settings, prompt: prompt, seed: options.seed)
        if display.wantsPlain {
            try runPlain(first)
            return
        }
        var sources: [any PlaybackSource] = []
        do {
            sources.append(try LiveSource(label: "live", configuration: first, paused: paused, recordPath: record,
                                          makeSession: try sessionFactory(), makeFactory: { try sessionFactory() }))
            for id in compared {
                let lane = LiveConfiguration(decoder: id, settings: [], prompt: prompt, seed: options.seed)
                let laneRecord = record.map { $0.replacingOccurrences(of: ".jsonl", with: "") + "-\(id).jsonl" }
                sources.append(try LiveSource(label: "live", configuration: lane, paused: paused, recordPath: laneRecord,
                                              makeSession: try sessionFactory(), makeFactory: { try sessionFactory() }))
            }
        } catch let error as ExitCode { throw error } catch {
            // Before the terminal is taken over: one line, as `run` prints it.
            throw PlaygroundLauncher.fail("\(error)")
        }
        try PlaygroundLauncher.runUI(sources: sources, label: "live", isLive: true, decoders: DecoderRegistry.ids,
                                     startPaused: paused, display: display)
    }

    /// Loads the model and tokenizer once and returns a closure that builds sessions on them.
    /// Each lane gets its own model instance (a model's cache belongs to one decode thread).
    private func sessionFactory() throws -> (LiveConfiguration) throws -> Session {
        let loaded: LoadedModel
        do { loaded = try LoadedModel(options) } catch {
            throw PlaygroundLauncher.fail("\(error)\n(no model? `dllm-play replay FILE` needs none)")
        }
        return { configuration in
            let decoder = try DecoderRegistry.make(configuration.decoder, settings: configuration.settings,
                                                  answerLength: loaded.answerLength)
            // Checked on every session, not only at start-up: a prompt edited in the UI can outgrow the context too.
            let promptTokens = try loaded.promptTokens(for: configuration.prompt)
            var setup = loaded.sessionSetup(promptTokens: promptTokens, prompt: configuration.prompt, seed: configuration.seed)
            setup.branch = configuration.branch
            return try Session(decoder: decoder, predictor: loaded.predictor, setup: setup)
        }
    }

    /// No terminal: decode on this thread, one line per step, then the answer.
    private func runPlain(_ configuration: LiveConfiguration) throws {
        let session: Session
        do { session = try sessionFactory()(configuration) } catch let error as ExitCode { throw error } catch {
            throw PlaygroundLauncher.fail("\(error)")
        }
        let writer = try record.map { try TrajectoryWriter(path: $0) }
        var replay: Replay?
        session.addConsumer { output in
            try? writer?.write(output)
            switch output {
            case .header(let header):
                replay = Replay(header: header)
                if writer == nil || self.record != "-" { print(PlainReport.heading(header)) }
            case .step(let step):
                replay?.append(step)
                if self.record != "-", let canvas = replay?.latest { print(PlainReport.line(for: step, canvas: canvas)) }
            case .end(let end):
                replay?.finish(end)
            }
        }
        let end = session.run()
        if record != "-", let replay {
            print(PlainReport.summary(replay))
            print(PlainReport.printable(end.answerText))
        }
        if end.reason == .error { throw PlaygroundLauncher.fail("stopped: \(end.message ?? "decode failed")") }
    }
}
