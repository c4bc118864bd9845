import ArgumentParser
import Decoding
import Evaluation
import Foundation
import Kernels
import Modeling
import Recording
import Tokenization

/// `dllm-play bench` over a task suite: every decoder at its reference setting (plus an optional
/// sweep) on the same items and seeds; prints the table, the AUP column and an accuracy-vs-TPF plot.
struct SuiteBenchOptions: ParsableArguments {
    @Option(help: "Suite: a .jsonl file, a folder of them, or a name in suites/ (e.g. addition). Default: every shipped suite.")
    var suite = "suites"
    @Option(help: "Comma-separated decoder ids (default: every decoder for the model's family).")
    var decoders: String?
    @Option(help: "A parameter sweep, key=v1,v2,... (e.g. threshold=0.5,0.7,0.9), run for every decoder that has the key (repeatable).")
    var sweep: [String] = []
    @Option(help: "Items per task (the first N of each task in the suite).")
    var limit = 6
    @Option(name: .customLong("gen-length"), help: "Answer canvas length (default: the model's generation_config.json gen_length, else 64).")
    var genLength: Int?
    @Option(help: "Prompt layout: chat (the model's instruct template) or raw.")
    var template = PromptLayout.chat
    @Option(help: "Seed of the first item; item i decodes with seed + i.")
    var seed: UInt64 = 0
    @Option(help: "Write the full report (summaries, AUP, every item) as JSON.")
    var json: String?
    @Option(help: "Write one CSV line per setting.")
    var csv: String?
    @Option(help: "Write a Markdown section (command, table, AUP, plot) for a results page.")
    var markdown: String?
    @Flag(help: "For cached settings, also decode without the cache and count the final answer tokens that differ.")
    var cacheDrift = false
    @Option(name: .customLong("remote-engine"), help: "Run the forward passes in a remote engine (as run --engine: a command or tcp://HOST:PORT).")
    var remoteEngine = "local"

    /// Every value checked before a model is loaded: a list or sweep that would run nothing, or a
    /// count out of range, is a usage error rather than an empty report.
    func validate() throws {
        try OptionRange.check(limit, 1...1_000_000, "--limit")
        if let genLength { try OptionRange.check(genLength, OptionRange.tokens, "--gen-length") }
        for (flag, path) in [("--json", json), ("--csv", csv), ("--markdown", markdown)] {
            var isDirectory: ObjCBool = false
            if let path, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("\(flag) \(path) is a directory (hint: name a file inside it)")
            }
        }
        let chosen = try decoderList() ?? DecoderRegistry.ids
        for text in sweep {
            let key = try SuiteBench.parseSweep(text).key
            let owners = chosen.filter { (try? DecoderRegistry.entry($0))?.parameters.contains { $0.key == key } ?? false }
            guard !owners.isEmpty else {
                throw ValidationError("--sweep '\(text)': no chosen decoder has a parameter '\(key)' (hint: `dllm-play decoders` lists each decoder's keys)")
            }
        }
    }

    /// The ids named by --decoders, checked; nil when the option is absent.
    func decoderList() throws -> [String]? {
        guard let decoders else { return nil }
        let ids = decoders.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for id in ids where !DecoderRegistry.ids.contains(id) {
            throw ValidationError("--decoders '\(decoders)': \(id.isEmpty ? "an empty id" : "unknown decoder '\(id)'")"
                                  + "; valid: \(DecoderRegistry.ids.joined(separator: ", "))")
        }
        return ids
    }
}

enum SuiteBench {
    static func run(_ options: SuiteBenchOptions, model: String) throws {
        let directory = Run.locate(model)
        let predictor: any MaskPredictor
        let tokenizer: Tokenizer
        do {
            let address: EngineAddress
            do { address = try EngineAddress(parsing: options.remoteEngine) } catch { throw fail(error.description) }
            (predictor, tokenizer) = try EngineOptions.load(address: address, modelPath: model)
        } catch let failure as ExitCode { throw failure } catch { throw fail("\(error)") }

        let suiteURL = locateSuite(options.suite)
        let suite: TaskSuite
        do { suite = try TaskSuite.load(from: suiteURL) } catch { throw fail(error.description) }
        let items = firstItemsPerTask(suite.items, limit: options.limit)

        let family = predictor.descriptor.family
        let decoderIDs = try options.decoderList() ?? defaultDecoders(for: family)
        let sweeps = try options.sweep.map(parseSweep)
        let settings = BenchRunner.settings(decoders: decoderIDs, sweeps: sweeps) { decoder, key in
            (try? DecoderRegistry.entry(decoder))?.parameters.contains { $0.key == key } ?? false
        }
        let genLength = options.genLength ?? GenerationDefaults.read(directory).genLength ?? 64
        guard genLength > 0 else { throw fail("--gen-length must be at least 1") }
        // Validate every setting before spending minutes on the first ones.
        for setting in settings {
            do { _ = try DecoderRegistry.make(setting.decoder, settings: arguments(for: setting, genLength: genLength)) } catch {
                throw fail("\(setting.label): \(error.description)")
            }
        }

        let chat = ChatTemplate(modelType: family.rawValue, instruct: options.template == .chat)
        var prompts: [String: [Int]] = [:]
        for item in items {
            do { prompts[item.id] = try tokenizer.encodeChat(user: item.prompt, template: chat) } catch { throw fail("\(item.id): \(error)") }
        }
        let interrupt = InterruptFlag()
        print("bench: \(items.count) items from \(suite.name) × \(settings.count) settings, gen length \(genLength), seed \(options.seed) — \(predictor.descriptor.engine ?? BLASRuntime.summary)")
        print("  reference settings at this gen length: " + adjustments(genLength: genLength))
        let runner = BenchRunner(settings: settings, items: items, seed: options.seed)
        let report = try runner.run(suite: suite.name, model: predictor.descriptor.name, machine: predictor.descriptor.engine ?? BLASRuntime.summary, decode: { setting, item, seed in
            let setup = SessionSetup(promptTokens: prompts[item.id] ?? [], promptText: item.prompt, answerLength: genLength, seed: seed,
                                     detokenize: { tokenizer.decode($0, skipSpecialTokens: true) })
            let start = DispatchTime.now().uptimeNanoseconds
            let decoder = try DecoderRegistry.make(setting.decoder, settings: arguments(for: setting, genLength: genLength))
            let uncached = options.cacheDrift ? uncachedTwin(decoder.configuration) : nil
            let session = try Session(decoder: decoder, predictor: predictor, setup: setup)
            var replay: Replay?
            session.addConsumer { output in
                switch output {
                case .header(let header): replay = Replay(header: header)
                case .step(let step): replay?.append(step)
                case .end(let end): replay?.finish(end)
                }
            }
            let end = session.run()
            if end.reason == .error { throw fail("\(setting.label) on \(item.id): \(end.message ?? "decode failed")") }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let analysis = replay.map(TrajectoryAnalysis.init)
            var drift: Int?
            if let uncached {
                let twin = try Session.decode(setting.decoder, settings: arguments(for: setting, genLength: genLength) + [uncached],
                                              predictor: predictor, setup: setup)
                drift = cacheDrift(cached: session.canvas, uncached: twin.canvas)
            }
            return DecodeOutcome(answer: end.answerText, nfe: end.nfe, usefulTokens: end.usefulTokens, seconds: seconds,
                                 arness: analysis?.arness, emergence: analysis?.emergenceFraction, cacheDrift: drift,
                                 remasked: analysis?.remasked, remaskedChanged: analysis?.remaskedChanged,
                                 decodeOrder: analysis.map { DecodeOrder(steps: $0.steps, useful: $0.usefulLength, positions: $0.decodeOrder) })
        }, progress: { done, total, setting in
            ProgressBar.draw(done: done, total: total, label: setting.label)
        }, isCancelled: { interrupt.isSet })
        ProgressBar.finish()
        if !report.complete { print("interrupted: showing the \(report.summaries.count) setting(s) that finished") }
        print(report.table())
        print()
        print(ScatterPlot.render(report))
        try write(report, json: options.json, csv: options.csv)
        if let markdown = options.markdown {
            let command = "dllm-play " + CommandLine.arguments.dropFirst().joined(separator: " ")
            let section = report.markdown(title: "\(report.suite): \(report.summaries.count) settings", command: command)
            do { try OutputFile.write(Data(section.utf8), to: markdown) } catch { throw fail("\(error)") }
            print("wrote \(markdown)")
        }
    }

    /// The setting that turns a decoder's cache off (`cache=none`, `kv_cache=false`), or nil when
    /// the configuration runs without one.
    static func uncachedTwin(_ configuration: [String: String]) -> String? {
        if let cache = configuration["cache"], cache != "none" { return "cache=none" }
        if configuration["kv_cache"] == "true" { return "kv_cache=false" }
        return nil
    }

    /// The reference setting made to fit the canvas by the registry's one rule
    /// (`DecoderRegistry.fittedDefaults`): step budgets take one token per step, block lengths
    /// that do not divide the canvas become its nearest divisor.
    static func arguments(for setting: BenchSetting, genLength: Int) -> [String] {
        let overrides = setting.overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let fitted = (try? DecoderRegistry.fittedDefaults(setting.decoder, settings: overrides, answerLength: genLength)) ?? []
        return (fitted + overrides).sorted()
    }

    static func adjustments(genLength: Int) -> String {
        DecoderRegistry.ids.compactMap { id in
            let args = arguments(for: BenchSetting(decoder: id), genLength: genLength)
            return args.isEmpty ? nil : "\(id) \(args.joined(separator: " "))"
        }.joined(separator: "; ")
    }

    static func defaultDecoders(for family: ModelDescriptor.Family) -> [String] {
        switch family {
        case .llada: ["llada", "fast-dllm", "d3llm", "wino", "r2", "dparallel", "prophet"]
        case .dream: ["dream", "fast-dllm", "d3llm", "r2", "dparallel", "prophet"]
        }
    }

    static func firstItemsPerTask(_ items: [TaskItem], limit: Int) -> [TaskItem] {
        var counts: [String: Int] = [:]
        return items.filter { item in
            counts[item.task, default: 0] += 1
            return counts[item.task]! <= limit
        }
    }

    static func parseSweep(_ text: String) throws -> (key: String, values: [String]) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("--sweep expects key=v1,v2,... (got '\(text)')")
        }
        let values = text[text.index(after: equals)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty else { throw ValidationError("--sweep '\(text)' names no values") }
        return (String(text[..<equals]), values)
    }

    static func locateSuite(_ name: String) -> URL {
        let direct = URL(fileURLWithPath: name)
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        for candidate in ["suites/\(name).jsonl", "suites/\(name)", name] {
            let url = Run.locate(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return direct
    }

    static func write(_ report: BenchReport, json: String?, csv: String?) throws {
        if let json {
            do { try OutputFile.write(report.json(), to: json) } catch { throw fail("cannot write \(json): \(error)") }
            print("wrote \(json)")
        }
        if let csv {
            do { try OutputFile.write(Data(report.csv().utf8), to: csv) } catch { throw fail("\(error)") }
            print("wrote \(csv)")
        }
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("dllm-play bench: \(message)\n".utf8))
        return ExitCode(2)
    }
}

/// The recommended decoding defaults a checkpoint ships in generation_config.json.
struct GenerationDefaults: Decodable {
    var genLength: Int?
    enum CodingKeys: String, CodingKey { case genLength = "gen_length" }

    static func read(_ directory: URL) -> GenerationDefaults {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("generation_config.json").path),
              let defaults = try? JSONDecoder().decode(GenerationDefaults.self, from: data) else { return GenerationDefaults() }
        return defaults
    }
}

/// Set by SIGINT so a bench stops between decodes and keeps what it finished.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private let source: DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.resume()
        source.setEventHandler { [weak self] in self?.raise() }
    }

    private func raise() { lock.lock(); set = true; lock.unlock() }

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return set }
}

/// A one-line progress bar on standard error (only when it is a terminal).
enum ProgressBar {
    static func draw(done: Int, total: Int, label: String) {
        guard isatty(STDERR_FILENO) == 1, total > 0 else { return }
        let width = 30, filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) \(label.prefix(40))\u{1B}[K".utf8))
    }

    static func finish() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
