import Foundation
import Recording
import Testing
@testable import TerminalUI

/// Rendering is total over every Double: readers validate numbers, but a pane must not trap on a
/// value that got past them (NaN, ±∞, 1e300 in a confidence, a probability, an entropy).
@Suite struct TotalFormattingTests {
    static let extremes: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, .greatestFiniteMagnitude,
                                     -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 0, -0.0, 1, 0.5, -0.5]

    @Test("formatters and the confidence gradient accept every Double")
    func formatters() {
        for value in Self.extremes {
            _ = Format.number(value)
            _ = Format.number(value, digits: 0)
            #expect(!Format.percent(value).isEmpty)
            _ = StyleRole.committed(confidence: value)
        }
        #expect(Format.percent(.nan) == "–")
        #expect(Format.percent(0.5) == "50%")
        #expect(StyleRole.committed(confidence: 1e300) == .committed4)
        #expect(StyleRole.committed(confidence: -1e300) == .committed0)
        #expect(Int(clamping: Double.nan, to: 0...4) == 0)
        #expect(Int(clamping: 1e300, to: 0...4) == 4)
        #expect(Int(clamping: -Double.infinity, to: -3...4) == -3)
        #expect(Int(clamping: 2.9, to: 0...4) == 2)
    }

    @Test("a step carrying extreme values renders in every pane, ghosts and histogram on, inspector on it")
    func extremeStepRenders() throws {
        let header = SampleTrajectory.header()
        let first = header.promptTokens.count
        for value in Self.extremes {
            var replay = Replay(header: header)
            let predictions = (0..<4).map {
                Prediction(position: first + $0, tokens: [10, 11], probabilities: [value, value], entropy: value)
            }
            replay.append(StepRecord(step: 1, events: [
                .forward(Forward(mode: .full, window: PositionRange(0, header.canvasLength), milliseconds: value)),
                .predict(predictions),
                .commit([Commit(position: first + 5, token: 12, confidence: value, entropy: value, reason: .threshold)]),
                .gauge(Gauge(name: "g", value: value, threshold: value, positions: [first])),
            ], milliseconds: value))
            #expect(replay.count == 1)
            for cursor in [first, first + 5] {
                var options = CastExport.Options()
                options.showGhosts = true
                options.cursor = cursor
                _ = try CastExport.cast(lanes: [replay], label: "extreme", theme: .builtIn, options: options)
            }
            var state = PlaygroundState()
            state.lanes = [Lane(replay: replay)]
            state.histogram = .entropy
            state.viewedStep = 1
            _ = render(state, theme: .builtIn, size: TerminalSize(columns: 120, rows: 40))
        }
    }
}
