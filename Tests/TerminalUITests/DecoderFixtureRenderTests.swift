import Foundation
import Recording
import Testing
@testable import TerminalUI

/// Every decoder's golden trajectory (Tests/Fixtures/decoding) renders at every step, in two sizes,
/// and the stats agree with the canvas rebuilt from the events.
@Suite struct DecoderFixtureRenderTests {
    static var fixtures: [URL] {
        let folder = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/decoding")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every step of every decoder fixture renders, and quickly")
    func renderEveryStep() throws {
        var frames = 0
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for url in Self.fixtures {
            let trajectory = try TrajectoryReader.read(path: url.path)
            let replay = Replay(trajectory: trajectory)
            #expect(replay.note == nil, "\(url.lastPathComponent): \(replay.note ?? "")")
            var state = PlaygroundState()
            state.lanes = [Lane(replay: replay)]
            state.sourceLabel = url.lastPathComponent
            state.showGhosts = true
            for size in [TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 140, rows: 45)] {
                for step in stride(from: 0, through: replay.count, by: max(1, replay.count / 40)) {
                    state.viewedStep = step
                    state.cursor = replay.header.promptTokens.count + step % max(1, replay.header.answerLength)
                    let start = clock.now
                    let screen = render(state, theme: .builtIn, size: size)
                    elapsed += clock.now - start
                    frames += 1
                    #expect(screen.width == size.columns && screen.height == size.rows)
                    let masks = replay.canvas(afterSteps: step).maskedCount
                    #expect(screen.lines.contains { $0.contains("masks     \(masks) / \(replay.header.answerLength)") },
                            "\(url.lastPathComponent) step \(step): masks line missing")
                }
            }
        }
        #expect(frames > 0 || Self.fixtures.isEmpty)
        if frames > 0 {
            let perFrame = elapsed / frames
            print("rendered \(frames) frames of \(Self.fixtures.count) decoder fixtures, \(perFrame) per frame")
            #expect(perFrame < .milliseconds(100))
        }
    }
}
