import Recording
import Testing
@testable import TerminalUI

/// Live parameter edits in the playground: typed nudges from the source's descriptors, pending
/// edits, refusals and restarts, and how ended decodes are shown.
@Suite struct ParameterEditTests {
    static let size = PlaygroundTests.size

    /// The sample decode's parameters as a live fast-dllm source would describe them (canvas 24).
    static let descriptors: [ParameterDescriptor] = [
        ParameterDescriptor(key: "block_length", kind: .length(divisors: [1, 2, 3, 4, 6, 8, 12, 24]), timing: .nextBlock, value: "8"),
        ParameterDescriptor(key: "cache", kind: .choice(["none", "prefix", "dual"]), timing: .nextStep, value: "dual"),
        ParameterDescriptor(key: "steps", kind: .integer(1...100, step: 3), timing: .restart, value: "24"),
        ParameterDescriptor(key: "threshold", kind: .real(0...1, step: 0.05), timing: .nextStep, value: "0.9"),
    ]

    /// A live playground two steps into the sample decode, with `threshold` selected.
    static func live(threshold: String? = nil) -> Playground {
        var playground = Playground(sourceLabel: "live", isLive: true)
        var header = SampleTrajectory.header()
        if let threshold { header.config["threshold"] = threshold }
        playground.receive([.start(header), .parameters(descriptors)] + SampleTrajectory.steps().prefix(2).map { .step($0) }, lane: 0)
        return playground
    }

    static func select(_ key: String, in playground: inout Playground) {
        while playground.state.parameterRows(of: playground.state.lanes[0], canvas: playground.state.lanes[0].replay.latest,
                                             isFirst: true)[playground.state.selectedParameter].key != key {
            _ = playground.handle(.tab, size: size)
        }
    }

    @Test("numbers move by their step, whole or not; a value at its limit is refused with the reason")
    func realSteps() {
        var playground = Self.live(threshold: "1")
        Self.select("threshold", in: &playground)
        #expect(playground.state.message?.contains("0…1, ±0.05") == true)
        #expect(playground.handle(.character("]"), size: Self.size) == [])
        #expect(playground.state.message?.contains("largest valid value") == true)
        #expect(playground.handle(.character("["), size: Self.size) == [.control(.setParameter(key: "threshold", value: "0.95"), lane: 0)])
        // The next nudge starts from the edit on its way, not from the applied value.
        #expect(playground.handle(.character("["), size: Self.size) == [.control(.setParameter(key: "threshold", value: "0.9"), lane: 0)])
        #expect(playground.state.message?.contains("at the next step") == true)
    }

    @Test("lengths halve and double over the canvas's divisors; choices cycle")
    func lengthsAndChoices() {
        var playground = Self.live()
        Self.select("block_length", in: &playground)
        #expect(playground.handle(.character("]"), size: Self.size) == [.control(.setParameter(key: "block_length", value: "24"), lane: 0)])
        #expect(playground.state.message?.contains("when the next block opens") == true)
        #expect(playground.handle(.character("]"), size: Self.size) == [])
        #expect(playground.handle(.character("["), size: Self.size) == [.control(.setParameter(key: "block_length", value: "12"), lane: 0)])
        Self.select("cache", in: &playground)
        #expect(playground.handle(.character("]"), size: Self.size) == [.control(.setParameter(key: "cache", value: "none"), lane: 0)])
    }

    @Test("a restart-timed parameter, or any edit after the end, restarts on the same seed")
    func restarts() {
        var playground = Self.live()
        Self.select("steps", in: &playground)
        #expect(playground.handle(.character("]"), size: Self.size) == [.control(.setParameterAndRestart(key: "steps", value: "27"), lane: 0)])
        #expect(playground.state.message?.contains("restarting") == true)

        var ended = Self.live()
        ended.receive([.end(SampleTrajectory.trajectory().end!)], lane: 0)
        Self.select("threshold", in: &ended)
        #expect(ended.handle(.character("["), size: Self.size) == [.control(.setParameterAndRestart(key: "threshold", value: "0.85"), lane: 0)])
    }

    @Test("the parameter list shows pending edits and timing tags; a refusal clears the edit and says why")
    func pendingAndRefused() {
        var playground = Self.live()
        Self.select("threshold", in: &playground)
        _ = playground.handle(.character("["), size: Self.size)
        var screen = render(playground.state, theme: .builtIn, size: Self.size)
        #expect(screen.lines.contains { $0.contains("threshold") && $0.contains("0.9→0.85 s") }, "\(screen.lines.joined(separator: "\n"))")
        Snapshot.check(screen, "live-parameters-pending")
        #expect(screen.lines.contains { $0.contains("block_length") && $0.contains("8 b") })
        playground.receive([.refused(key: "threshold", reason: "the decode has ended")], lane: 0)
        #expect(playground.state.pendingEdits.isEmpty)
        screen = render(playground.state, theme: .builtIn, size: Self.size)
        #expect(screen.lines[23].contains("threshold not changed: the decode has ended"))
    }

    @Test("an applied change clears the pending edit")
    func appliedClearsPending() {
        var playground = Self.live()
        Self.select("threshold", in: &playground)
        _ = playground.handle(.character("["), size: Self.size)
        let change = StepRecord(step: 3, events: [.parameterChange(ParameterChange(key: "threshold", oldValue: "0.9", newValue: "0.85"))])
        playground.receive([.step(change)], lane: 0)
        #expect(playground.state.pendingEdits.isEmpty)
    }

    @Test("an error end shows its message and the title says stopped, not finished")
    func errorEnd() {
        var playground = Self.live()
        var end = SampleTrajectory.trajectory().end!
        end.reason = .error
        end.message = "invalid forward request: window rows 53..<85 for 32 tokens, cache holds 53"
        playground.receive([.end(end)], lane: 0)
        let screen = render(playground.state, theme: .builtIn, size: Self.size)
        #expect(screen.lines[0].contains("stopped: error") && !screen.lines[0].contains("finished"), "\(screen.lines[0])")
        #expect(screen.lines[23].contains("stopped: invalid forward request"), "\(screen.lines[23])")
        #expect(PlainReport.summary(playground.state.lanes[0].replay).contains("stopped: invalid forward request"))
    }
}
