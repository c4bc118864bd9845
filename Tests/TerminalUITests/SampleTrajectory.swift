import Foundation
import Recording

/// A small hand-made decode that uses every event kind: blocks, cache build and refresh, commits
/// with several reasons, a WINO draft that is verified and remasked, a parameter change, a gauge,
/// wide characters, and an EOS force-fill that overwrites a committed token. Written to
/// Tests/Fixtures/tui/demo.jsonl (the end-to-end test replays that file).
enum SampleTrajectory {
    static let mask = 0
    static let eos = 1
    static let texts: [Int: String] = [
        2: "Write", 3: " a", 4: " haiku", 5: " about", 6: " rain", 7: ":\n",
        10: "Soft", 11: " drops", 12: " on", 13: " the", 14: " roof", 15: ",", 16: "\n",
        17: "世界", 18: " hums", 19: " in", 20: " grey", 21: " —", 22: " a", 23: " quiet", 24: " song", 25: ".",
        26: " sky", 1: "<eos>",
    ]
    static let prompt = [2, 3, 4, 5, 6, 7]
    static let answerLength = 24
    static let blockLength = 8

    static func header() -> TrajectoryHeader {
        var promptTexts: [String: String] = [:]
        for id in prompt { promptTexts[String(id)] = texts[id] }
        return TrajectoryHeader(
            model: ModelIdentity(name: "demo", family: "llada", weightsHash: "0000"), tokenizer: "demo",
            decoder: "fast-dllm", config: ["threshold": "0.9", "block_length": "8", "cache": "dual", "steps": "24"],
            seed: 42, promptText: "Write a haiku about rain:\n", promptTokens: prompt,
            canvasLength: prompt.count + answerLength, maskTokenID: mask, stopTokenIDs: [eos],
            tokenTexts: promptTexts, writer: "dllm-play tests")
    }

    static func p(_ answerIndex: Int) -> Int { prompt.count + answerIndex }
    static func block(_ b: Int) -> PositionRange { PositionRange(p(b * blockLength), p((b + 1) * blockLength)) }
    static func commit(_ i: Int, _ token: Int, _ confidence: Double, _ reason: CommitReason = .threshold) -> Commit {
        Commit(position: p(i), token: token, confidence: confidence, entropy: (1 - confidence) * 2, reason: reason)
    }
    static func predict(_ items: [(Int, [Int], [Double])]) -> Event {
        .predict(items.map { Prediction(position: p($0.0), tokens: $0.1, probabilities: $0.2, entropy: 2 * (1 - $0.2[0])) })
    }
    static func forward(_ mode: ForwardMode, _ window: PositionRange) -> Event {
        .forward(Forward(mode: mode, window: window, milliseconds: 12.5))
    }

    static func steps() -> [StepRecord] {
        let canvas = PositionRange(0, prompt.count + answerLength)
        func record(_ step: Int, _ events: [Event], _ ids: [Int]) -> StepRecord {
            var t: [String: String] = [:]
            for id in ids { t[String(id)] = texts[id] }
            return StepRecord(step: step, events: events, tokenTexts: t, milliseconds: 20)
        }
        return [
            record(1, [
                forward(.full, canvas),
                .block(BlockChange(.open, block: 0, span: block(0))),
                .cache(CacheChange(.build, range: canvas)),
                predict([(0, [10, 11], [0.95, 0.03]), (1, [11, 14], [0.92, 0.05]), (2, [12, 19], [0.6, 0.3]),
                         (3, [13, 22], [0.4, 0.35]), (4, [14, 26], [0.3, 0.2])]),
                .commit([commit(0, 10, 0.95), commit(1, 11, 0.92)]),
            ], [10, 11, 12, 13, 14, 19, 22, 26]),
            record(2, [
                forward(.dualCached, block(0)),
                predict([(2, [12, 19], [0.93, 0.04]), (3, [13, 22], [0.7, 0.2]), (4, [26, 14], [0.5, 0.45])]),
                .commit([commit(2, 12, 0.93)]),
                .draft([commit(4, 26, 0.5, .forcedTop1)]),
            ], []),
            record(3, [
                forward(.dualCached, block(0)),
                .verify([Verification(position: p(4), score: 0.2, passed: false)]),
                .remask([Remask(position: p(4), oldToken: 26, score: 0.2)]),
                .commit([commit(3, 13, 0.88, .forcedTop1)]),
                .gauge(Gauge(name: "net drafts", value: -1, threshold: 0)),
            ], []),
            record(4, [
                forward(.dualCached, block(0)),
                .commit([commit(4, 14, 0.97), commit(5, 15, 0.99), commit(6, 16, 0.91), commit(7, 17, 0.9)]),
                .block(BlockChange(.complete, block: 0, span: block(0))),
                .block(BlockChange(.advance, block: 1, span: block(1))),
                .cache(CacheChange(.refresh, range: canvas, reason: "block-start")),
            ], [15, 16, 17]),
            record(5, [
                .parameterChange(ParameterChange(key: "threshold", oldValue: "0.9", newValue: "0.8")),
                forward(.dualCached, block(1)),
                predict([(11, [22, 3], [0.6, 0.3]), (12, [23, 20], [0.5, 0.3])]),
                .commit([commit(8, 18, 0.85), commit(9, 19, 0.82), commit(10, 20, 0.81, .factor)]),
            ], [18, 20, 23, 3]),
            record(6, [
                forward(.dualCached, block(1)),
                .commit([commit(11, 21, 0.7, .forcedTop1), commit(12, 22, 0.83), commit(13, 23, 0.86),
                         commit(14, 24, 0.9), commit(15, 25, 0.95)]),
                .block(BlockChange(.advance, block: 2, span: block(2))),
                .cache(CacheChange(.append, range: block(2))),
            ], [21, 24, 25]),
            record(7, [
                forward(.dualCached, block(2)),
                .commit([commit(16, 1, 0.97)]),
                .forceFill((17..<24).map { Commit(position: p($0), token: eos, confidence: 1, reason: .eosFill) }),
                .block(BlockChange(.complete, block: 2, span: block(2))),
            ], [1]),
        ]
    }

    static func trajectory() -> Trajectory {
        let end = EndRecord(reason: .earlyStop, steps: 7, nfe: 7, usefulTokens: 16, seconds: 0.14,
                            answerText: "Soft drops on the roof,\n世界 hums in grey — a quiet song.")
        return Trajectory(header: header(), steps: steps(), end: end)
    }

    static func replay() -> Replay { Replay(trajectory: trajectory()) }
}
