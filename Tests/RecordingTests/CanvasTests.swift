import Foundation
import Recording
import Testing

@Suite struct CanvasTests {
    let mask = 99

    @Test func commitsRemasksAndForceFills() throws {
        var canvas = Canvas(promptTokens: [1, 2], answerLength: 4, maskTokenID: mask)
        #expect(canvas.maskedPositions == [2, 3, 4, 5])
        canvas.beginStep(1)
        try canvas.apply(.forward(Forward(mode: .full, window: PositionRange(0, 6), milliseconds: 1)))
        try canvas.apply(.commit([Commit(position: 3, token: 7, confidence: 0.9, reason: .threshold)]))
        #expect(canvas.cells[3].token == 7 && canvas.cells[3].state == .committed)
        #expect(canvas.touchedThisStep == [3] && canvas.commitsPerStep == [1] && canvas.forwardCount == 1)

        canvas.beginStep(2)
        try canvas.apply(.remask([Remask(position: 3, oldToken: 7, score: 0.1)]))
        #expect(canvas.cells[3].state == .masked && canvas.cells[3].replacedToken == 7)
        try canvas.apply(.forceFill([Commit(position: 2, token: 5, confidence: 1, reason: .eosFill),
                                     Commit(position: 3, token: 5, confidence: 1, reason: .eosFill),
                                     Commit(position: 4, token: 5, confidence: 1, reason: .eosFill),
                                     Commit(position: 5, token: 5, confidence: 1, reason: .eosFill)]))
        #expect(canvas.isComplete && canvas.commitsPerStep == [1, 4])
    }

    @Test func invalidEventsAreRejected() throws {
        var canvas = Canvas(promptTokens: [1], answerLength: 2, maskTokenID: mask)
        canvas.beginStep(1)
        #expect(throws: CanvasError.positionOutsideAnswer(0, "commit", 1..<3)) {
            try canvas.apply(.commit([Commit(position: 0, token: 3, confidence: 1, reason: .threshold)]))
        }
        try canvas.apply(.commit([Commit(position: 1, token: 3, confidence: 1, reason: .threshold)]))
        #expect(throws: CanvasError.commitOfUnmaskedPosition(1, "commit")) {
            try canvas.apply(.commit([Commit(position: 1, token: 4, confidence: 1, reason: .threshold)]))
        }
        #expect(throws: CanvasError.remaskOfMaskedPosition(2)) {
            try canvas.apply(.remask([Remask(position: 2, oldToken: 3, score: 0)]))
        }
    }

    @Test func eventsRoundTripThroughJSON() throws {
        let events: [Event] = [
            .forward(Forward(mode: .dualCached, window: PositionRange(4, 8), milliseconds: 2.5)),
            .predict([Prediction(position: 5, tokens: [3, 4], probabilities: [0.6, 0.3], entropy: 0.9)]),
            .commit([Commit(position: 5, token: 3, confidence: 0.6, entropy: 0.9, reason: .windowCluster)]),
            .draft([Commit(position: 6, token: 1, confidence: 0.8, reason: .threshold)]),
            .verify([Verification(position: 6, score: 0.2, passed: false)]),
            .remask([Remask(position: 6, oldToken: 1, score: 0.2)]),
            .forceFill([Commit(position: 7, token: 2, confidence: 1, reason: .earlyCommit)]),
            .block(BlockChange(.fullyActivated, block: 1, span: PositionRange(4, 8))),
            .cache(CacheChange(.refresh, range: PositionRange(0, 8), reason: "periodic")),
            .parameterChange(ParameterChange(key: "threshold", oldValue: "0.9", newValue: "0.7")),
            .gauge(Gauge(name: "gap", value: 6.1, threshold: 7.5)),
        ]
        let data = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([Event].self, from: data) == events)
        let text = String(decoding: try JSONEncoder().encode(events[2]), as: UTF8.self)
        #expect(text.contains("\"kind\":\"commit\"") && text.contains("window-cluster"))
    }
}
