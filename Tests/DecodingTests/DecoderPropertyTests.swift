import Decoding
import Foundation
import Modeling
import Recording
import Testing
import TestSupport

/// Decoder configurations every property and golden test runs.
let decoderCases: [(name: String, id: String, settings: [String])] = [
    ("llada", "llada", ["steps=16", "block_length=8"]),
    ("llada-random-cfg", "llada", ["steps=32", "block_length=16", "remasking=random", "cfg_scale=0.5", "temperature=0.7"]),
    ("fast-dllm-none", "fast-dllm", ["block_length=8", "cache=none", "threshold=0.6"]),
    ("fast-dllm-prefix", "fast-dllm", ["block_length=8", "cache=prefix", "threshold=0.6"]),
    ("fast-dllm-dual-factor", "fast-dllm", ["block_length=8", "cache=dual", "rule=factor"]),
    ("d3llm-kv", "d3llm", ["block_length=8", "threshold=1.2"]),
    ("d3llm-nocache", "d3llm", ["block_length=8", "kv_cache=false", "early_stop=false", "threshold=1.2"]),
    ("wino", "wino", ["block_length=16", "threshold=0.4", "threshold_back=0.6"]),
    ("r2", "r2", ["block_length=8", "threshold=0.7", "spatial_threshold=0.4", "temporal_threshold=0.3"]),
    ("dream-entropy", "dream", ["temperature=0"]),
    ("dream-origin", "dream", ["alg=origin", "steps=16", "temperature=0.5"]),
    ("dparallel", "dparallel", ["block_length=8", "threshold=1.2"]),
    ("prophet", "prophet", ["steps=32", "block_length=8", "threshold_early=3", "threshold_middle=2", "threshold_late=1"]),
]

/// Which positions a semi-AR decoder may commit: those of its open block.
private func semiAutoregressive(_ id: String) -> Bool { ["llada", "fast-dllm", "wino", "r2", "dparallel"].contains(id) }

@Suite struct DecoderPropertyTests {
    @Test("every decode terminates, fills every mask, commits only allowed positions, NFE = forward events",
          arguments: decoderCases.map(\.name))
    func properties(name: String) throws {
        let c = decoderCases.first { $0.name == name }!
        for seed in UInt64(1)...12 {
            var options = SyntheticPredictor.Options()
            options.seed = seed
            options.sharpness = [0.5, 1, 2, 4][Int(seed % 4)]
            options.endOfTextBias = seed % 3 == 0 ? 40 : 0
            let run = try decode(c.id, c.settings, answerLength: 32, seed: seed, options: options)
            #expect(run.end.reason == .finished || run.end.reason == .earlyStop, "\(name) seed \(seed): \(run.end.message ?? "")")
            #expect(run.session.canvas.isComplete)
            #expect(run.end.nfe == run.forwardEvents)
            #expect(run.predictor.calls == run.forwardEvents)
            checkPositions(run, semiAR: semiAutoregressive(c.id), label: "\(name) seed \(seed)")
        }
    }

    private func checkPositions(_ run: DecodeRun, semiAR: Bool, label: String) {
        var replay = Canvas(header: run.session.header)
        var active: Range<Int>? = nil
        var opened = Set<Int>()
        for step in run.steps {
            replay.beginStep(step.step)
            for event in step.events {
                switch event {
                case .block(let change) where change.kind == .open || change.kind == .advance:
                    active = change.span.range
                    opened.formUnion(change.span.range)
                case .commit(let commits), .draft(let commits):
                    for c in commits {
                        #expect(replay.cells[c.position].state == .masked, "\(label): commit of unmasked \(c.position)")
                        if semiAR { #expect(active?.contains(c.position) == true, "\(label): commit \(c.position) outside block") }
                        #expect(opened.contains(c.position), "\(label): commit \(c.position) in a block never opened")
                    }
                case .remask(let remasks):
                    for r in remasks { #expect(replay.cells[r.position].state != .masked, "\(label): remask of masked") }
                default: break
                }
                #expect(throws: Never.self) { try replay.apply(event) }
            }
        }
        #expect(replay == run.session.canvas, "\(label): replay differs from the live canvas")
    }

    @Test("golden trajectories on the synthetic predictor", arguments: decoderCases.map(\.name))
    func golden(name: String) throws {
        let c = decoderCases.first { $0.name == name }!
        var options = SyntheticPredictor.Options()
        options.sharpness = 6
        options.endOfTextBias = 12
        let run = try decode(c.id, c.settings, answerLength: 32, seed: 11, options: options)
        try expectGolden(try run.jsonLines(), named: "\(name).jsonl")
    }
}
