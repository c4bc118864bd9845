import Evaluation
import Testing

@Suite struct BenchRunnerTests {
    let items = (0..<4).map { TaskItem(id: "t\($0)", task: "t", prompt: "p\($0)", answer: "\($0)", scorer: .exact) }

    @Test func summarisesAccuracyTPFAndAUP() throws {
        // "slow" is always right at 1 token per forward; "fast" gets half right at 4.
        let settings = [BenchSetting(decoder: "slow"), BenchSetting(decoder: "fast"),
                        BenchSetting(decoder: "fast", overrides: ["threshold": "0.5"])]
        var seeds: [UInt64] = []
        let report = try BenchRunner(settings: settings, items: items, seed: 100).run(suite: "s", model: "m", machine: "x") { setting, item, seed in
            seeds.append(seed)
            let right = setting.decoder == "slow" || Int(item.answer)! % 2 == 0
            return DecodeOutcome(answer: right ? item.answer : "wrong", nfe: setting.decoder == "slow" ? 8 : 2,
                                 usefulTokens: 8, seconds: 0.5)
        }
        #expect(seeds == [100, 101, 102, 103, 100, 101, 102, 103, 100, 101, 102, 103])
        #expect(report.summaries.map(\.accuracy) == [100, 50, 50])
        #expect(report.summaries.map(\.tokensPerForward) == [1, 4, 4])
        #expect(report.summaries[0].tokensPerSecond == 16)
        #expect(report.yMax == 100 && report.aup["slow"] == 100 && report.aup["fast"] == 200)
        #expect(report.table().contains("fast threshold=0.5"))
        #expect(report.csv().split(separator: "\n").count == 4)
        #expect(ScatterPlot.render(report).contains("● slow"))
        let page = report.markdown(title: "t", command: "dllm-play bench --limit 4")
        #expect(page.contains("dllm-play bench --limit 4") && page.contains("fast threshold=0.5") && page.contains("y_max = 100.0"))
    }

    @Test func interruptedRunKeepsFinishedSettings() throws {
        var calls = 0
        let settings = [BenchSetting(decoder: "a"), BenchSetting(decoder: "b")]
        let report = try BenchRunner(settings: settings, items: items, seed: 0).run(
            suite: "s", model: "m", machine: "x",
            decode: { _, item, _ in calls += 1; return DecodeOutcome(answer: item.answer, nfe: 1, usefulTokens: 1, seconds: 0) },
            isCancelled: { calls >= 6 })
        #expect(!report.complete)
        #expect(report.summaries.map(\.setting.decoder) == ["a"])
        #expect(report.results.count == 4)
    }

    @Test func sweepAddsSettingsOnlyWhereTheKeyExists() {
        let settings = BenchRunner.settings(decoders: ["llada", "fast-dllm"],
                                            sweeps: [("threshold", ["0.5", "0.9"]), ("cache", ["none"])]) { decoder, key in
            decoder == "fast-dllm" && (key == "threshold" || key == "cache")
        }
        #expect(settings.map(\.label) == ["llada (reference)", "fast-dllm (reference)", "fast-dllm threshold=0.5",
                                           "fast-dllm threshold=0.9", "fast-dllm cache=none"])
    }
}
