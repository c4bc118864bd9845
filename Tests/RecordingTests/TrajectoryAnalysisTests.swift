import Recording
import Testing

/// The analysis metrics on hand-made trajectories whose answers are worked out by hand.
@Suite struct TrajectoryAnalysisTests {
    /// Prompt [1, 2]; answer positions 2..<6; mask 99; stop token 3.
    private func replay(_ steps: [[Event]]) -> Replay {
        let header = TrajectoryHeader(
            model: ModelIdentity(name: "tiny", family: "llada", weightsHash: "abc"), tokenizer: "t", decoder: "hand",
            config: [:], seed: 1, promptText: "", promptTokens: [1, 2], canvasLength: 6, maskTokenID: 99, stopTokenIDs: [3],
            tokenTexts: [:], writer: "test")
        var replay = Replay(header: header)
        for (index, events) in steps.enumerated() {
            let accepted = replay.append(StepRecord(step: index + 1, events: events))
            #expect(accepted, "step \(index + 1) rejected: \(replay.note ?? "")")
        }
        return replay
    }

    private func commit(_ position: Int, _ token: Int) -> Event {
        .commit([Commit(position: position, token: token, confidence: 0.9, reason: .threshold)])
    }

    private func predict(_ pairs: [(Int, Int)]) -> Event {
        .predict(pairs.map { Prediction(position: $0.0, tokens: [$0.1], probabilities: [0.5], entropy: 1) })
    }

    @Test("left to right gives AR-ness 1, right to left −1, and the decode order is the commit step")
    func arness() {
        let forward = TrajectoryAnalysis(replay([[commit(2, 10)], [commit(3, 11)], [commit(4, 12)], [commit(5, 3)]]))
        #expect(forward.decodeOrder == [1, 2, 3, 4] && forward.usefulLength == 4)
        #expect(forward.arness == 1)
        let backward = TrajectoryAnalysis(replay([[commit(5, 3)], [commit(4, 12)], [commit(3, 11)], [commit(2, 10)]]))
        #expect(backward.arness == -1)
        // Two at once, then the rest: ranks tie inside a step.
        let parallel = TrajectoryAnalysis(replay([[commit(2, 10), commit(3, 11)], [commit(4, 12), commit(5, 3)]]))
        #expect(parallel.decodeOrder == [1, 1, 2, 2])
        #expect(abs(parallel.arness! - 0.894427191) < 1e-9)
    }

    @Test("the useful answer ends at the first stop token; padding after it does not count")
    func usefulAnswer() {
        let analysis = TrajectoryAnalysis(replay([[commit(3, 3)], [commit(5, 3)], [commit(4, 3)], [commit(2, 10)]]))
        #expect(analysis.usefulLength == 2)
        #expect(analysis.arness == -1)
    }

    @Test("emergence: the first step from which every position is final or predicted final")
    func emergence() {
        let analysis = TrajectoryAnalysis(replay([
            [predict([(2, 10), (3, 7), (4, 12), (5, 3)]), commit(2, 10)],  // 3 predicts 7, not its final 11
            [predict([(3, 11), (4, 12), (5, 3)]), commit(3, 11)],         // from here on every ghost is final
            [predict([(4, 12), (5, 3)]), commit(4, 12)],
            [commit(5, 3)],
        ]))
        #expect(analysis.emergenceStep == 2 && analysis.emergenceFraction == 0.5)
    }

    @Test("revocations count remasks and how many positions ended different")
    func revocations() {
        let draft = { (p: Int, t: Int) in Event.draft([Commit(position: p, token: t, confidence: 0.7, reason: .threshold)]) }
        let analysis = TrajectoryAnalysis(replay([
            [draft(2, 10), draft(3, 8)],
            [.remask([Remask(position: 2, oldToken: 10, score: 0.1), Remask(position: 3, oldToken: 8, score: 0.2)]), draft(4, 12)],
            [draft(2, 10), draft(3, 11), draft(5, 3)],
        ]))
        #expect(analysis.remasked == 2 && analysis.remaskedChanged == 1)
        #expect(analysis.decodeOrder == [3, 3, 2, 3])
    }

    @Test("cache drift counts answer positions whose final tokens differ between the cached and uncached decode")
    func cacheDriftCounts() {
        let cached = replay([[commit(2, 10), commit(3, 11)], [commit(4, 12), commit(5, 3)]]).latest
        let same = replay([[commit(2, 10)], [commit(3, 11)], [commit(4, 12)], [commit(5, 3)]]).latest
        let other = replay([[commit(2, 10), commit(3, 13)], [commit(4, 12), commit(5, 14)]]).latest
        let unfinished = replay([[commit(2, 10), commit(3, 11)], [commit(4, 12)]]).latest
        #expect(cacheDrift(cached: cached, uncached: same) == 0, "the same tokens in another order do not drift")
        #expect(cacheDrift(cached: cached, uncached: other) == 2)
        #expect(cacheDrift(cached: cached, uncached: unfinished) == 1, "a still-masked position differs from a written one")
        // The prompt never counts; an answer of another length counts its extra positions.
        let longer = Canvas(promptTokens: [7, 7], answerLength: 5, maskTokenID: 99)
        let masked = Canvas(promptTokens: [1, 2], answerLength: 4, maskTokenID: 99)
        #expect(cacheDrift(cached: masked, uncached: longer) == 1)
    }

    @Test("Spearman on average ranks; nil for a constant series")
    func spearmanValues() {
        #expect(spearman([1, 2, 3], [10, 20, 30]) == 1)
        #expect(spearman([1, 2, 3], [5, 5, 5]) == nil)
        #expect(abs(spearman([1, 2, 3, 4], [1, 3, 2, 4])! - 0.8) < 1e-12)
    }
}
