import Evaluation
import Testing

@Suite struct AUPTests {
    @Test func workedExampleFromTheSpec() {
        // d3LLM-LLaDA on GSM8K-CoT: (1.0, 74.02), (9.11, 73.09), y_max 74.98 → 637.7.
        let points = [AUP.Point(tpf: 9.11, accuracy: 73.09), AUP.Point(tpf: 1.0, accuracy: 74.02)]
        let score = AUP.score(points, yMax: 74.98)
        #expect(abs(score - 637.7) < 0.05, "got \(score)")
        #expect(abs(AUP.weight(74.02, yMax: 74.98) - 0.96232) < 1e-5)
    }

    @Test func onePointIsItsRectangle() {
        #expect(AUP.score([AUP.Point(tpf: 1, accuracy: 80)], yMax: 90) == 80)
        #expect(AUP.score([AUP.Point(tpf: 2.5, accuracy: 40)], yMax: 90) == 100, "first rectangle is unweighted")
        #expect(AUP.score([], yMax: 90) == 0)
    }

    @Test func pointsBeyondTheFivePointDropAreIgnored() {
        let base = [AUP.Point(tpf: 1, accuracy: 80), AUP.Point(tpf: 3, accuracy: 78)]
        let withCollapse = base + [AUP.Point(tpf: 6, accuracy: 74.9)]
        #expect(AUP.countedPoints(withCollapse).count == 2)
        #expect(AUP.score(withCollapse, yMax: 80) == AUP.score(base, yMax: 80))
        let exactlyFive = base + [AUP.Point(tpf: 6, accuracy: 75)]
        #expect(AUP.countedPoints(exactlyFive).count == 3, "a drop of exactly 5 points still counts")
    }

    @Test func tiesInTPFAddNoArea() {
        let points = [AUP.Point(tpf: 1, accuracy: 80), AUP.Point(tpf: 1, accuracy: 79), AUP.Point(tpf: 2, accuracy: 79)]
        // Sorted stably: (1,80), (1,79), (2,79). The tie contributes 0 width.
        let w = AUP.weight(79, yMax: 80)
        #expect(abs(AUP.score(points, yMax: 80) - (80 + 0.5 * 1 * (79 * w + 79 * w))) < 1e-9)
    }

    @Test func weightIsCappedAtOne() {
        #expect(AUP.weight(95, yMax: 90) == 1)
        #expect(AUP.weight(90, yMax: 90) == 1)
    }
}
