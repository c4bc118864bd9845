import Foundation

/// Runs every setting over the suite's items with fixed seeds and gathers a `BenchReport`.
///
/// The runner knows nothing of models or decoders: the caller passes `decode`, which runs one
/// setting on one item (the command line wires it to a `Session`). Item i always decodes with
/// seed `seed + i`, so settings are compared on identical randomness.
public struct BenchRunner {
    public typealias Decode = (BenchSetting, TaskItem, UInt64) throws -> DecodeOutcome

    public var settings: [BenchSetting]
    public var items: [TaskItem]
    public var seed: UInt64

    public init(settings: [BenchSetting], items: [TaskItem], seed: UInt64) {
        self.settings = settings
        self.items = items
        self.seed = seed
    }

    /// Progress after each decode: (decodes done, decodes in all, the setting being run).
    public typealias Progress = (Int, Int, BenchSetting) -> Void

    /// Runs until done or until `isCancelled` turns true; a cancelled run keeps every setting it
    /// finished (a half-finished setting is dropped, since its accuracy would not be comparable).
    public func run(suite: String, model: String, machine: String, decode: Decode,
                    progress: Progress = { _, _, _ in }, isCancelled: () -> Bool = { false }) throws -> BenchReport {
        var summaries: [SettingSummary] = []
        var results: [ItemResult] = []
        let total = settings.count * items.count
        var done = 0
        var complete = true
        settingLoop: for setting in settings {
            var settingResults: [ItemResult] = []
            for (index, item) in items.enumerated() {
                if isCancelled() { complete = false; break settingLoop }
                let outcome = try decode(setting, item, seed &+ UInt64(index))
                settingResults.append(ItemResult(setting: setting.label, itemID: item.id,
                                                 correct: item.scorer.isCorrect(answer: outcome.answer, expected: item.answer),
                                                 outcome: outcome))
                done += 1
                progress(done, total, setting)
            }
            summaries.append(SettingSummary(setting: setting, results: settingResults))
            results += settingResults
        }
        return BenchReport(suite: suite, model: model, seed: seed, itemsPerSetting: items.count, complete: complete,
                           summaries: summaries, results: results, machine: machine)
    }

    /// Settings from decoder ids and sweeps "key=v1,v2,...": every decoder at its reference
    /// setting, then, for each sweep in turn, its values for each decoder that has the key.
    public static func settings(decoders: [String], sweeps: [(key: String, values: [String])],
                                decoderHasParameter: (String, String) -> Bool) -> [BenchSetting] {
        var settings: [BenchSetting] = []
        for decoder in decoders {
            settings.append(BenchSetting(decoder: decoder))
            for sweep in sweeps where decoderHasParameter(decoder, sweep.key) {
                settings += sweep.values.map { BenchSetting(decoder: decoder, overrides: [sweep.key: $0]) }
            }
        }
        return settings
    }
}
