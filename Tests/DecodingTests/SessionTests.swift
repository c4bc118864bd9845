import Decoding
import Foundation
import Recording
import Testing
import TestSupport

@Suite struct SessionTests {
    private func makeSession(seed: UInt64 = 5) throws -> Session {
        try Session(decoder: try DecoderRegistry.make("fast-dllm", settings: ["block_length=8"]), predictor: SyntheticPredictor(),
                    setup: SessionSetup(promptTokens: [3, 4], answerLength: 16, seed: seed, recordsTimings: false))
    }

    @Test("Session.decode runs one headless decode")
    func headless() throws {
        let (end, canvas) = try Session.decode("d3llm", settings: ["block_length=8"], predictor: SyntheticPredictor(),
                                               setup: SessionSetup(promptTokens: [3], answerLength: 16, seed: 1))
        #expect(canvas.isComplete && end.nfe == canvas.forwardCount)
    }

    @Test("useful tokens are cut at the first stop token")
    func usefulTokens() {
        #expect(usefulAnswer([5, 6, 2, 7, 1, 1], stopTokens: [1, 2], maskTokenID: 9) == [5, 6])
        #expect(usefulAnswer([5, 6, 7], stopTokens: [1, 2], maskTokenID: 9) == [5, 6, 7])
    }

    @Test("a parameter change is recorded at the start of the next step")
    func parameterChangeEvent() throws {
        let session = try makeSession()
        session.step()
        try session.set(key: "threshold", value: "0.5")
        let record = try #require(session.step())
        #expect(record.events.first == .parameterChange(ParameterChange(key: "threshold", oldValue: "0.9", newValue: "0.5")))
        #expect(throws: DecoderError.invalidValue(key: "threshold", value: "2", valid: "number in 0...1")) {
            try session.set(key: "threshold", value: "2")
        }
    }

    @Test("a live block_length change applies at the next block boundary and skips nothing", arguments: ["llada", "fast-dllm", "wino", "dparallel", "r2"])
    func liveBlockLengthChange(id: String) throws {
        let session = try Session(decoder: try DecoderRegistry.make(id, settings: ["block_length=8"]), predictor: SyntheticPredictor(),
                                  setup: SessionSetup(promptTokens: [3, 4], answerLength: 32, seed: 2, recordsTimings: false))
        var spans: [PositionRange] = []
        session.addConsumer { output in
            guard case .step(let step) = output else { return }
            for case .block(let change) in step.events where change.kind == .open || change.kind == .advance { spans.append(change.span) }
        }
        session.step()
        // Live edits take the values `run` takes: a length that does not divide the answer is refused.
        #expect(throws: DecoderError.refused("block_length 12 does not divide the gen length 32; valid: 1, 2, 4, 8, 16, 32")) {
            try session.set(key: "block_length", value: "12")
        }
        try session.set(key: "block_length", value: "16")
        let end = session.run()
        #expect(end.reason == .finished && session.canvas.isComplete)
        #expect(spans.first == PositionRange(2, 10))
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.upper == $1.lower })
        #expect(spans.last?.upper == 34)
    }

    @Test("restart with the same seed reproduces the decode")
    func restartReproduces() throws {
        let session = try makeSession()
        var steps: [[StepRecord]] = [[]]
        session.addConsumer { output in
            switch output {
            case .header: if !steps[steps.count - 1].isEmpty { steps.append([]) }
            case .step(let s): steps[steps.count - 1].append(s)
            case .end: break
            }
        }
        session.run()
        try session.restart(seed: 5)
        session.run()
        #expect(steps.count == 2 && steps[0] == steps[1])
    }

    @Test("the controller steps while paused, applies parameters, restarts and cancels from another thread")
    func controller() throws {
        let controller = SessionController.start(try makeSession(), paused: true, check: DecoderRegistry.entries[1].check)
        controller.stepOnce()
        controller.stepOnce()
        var outputs: [SessionOutput] = []
        while outputs.filter({ if case .step = $0 { true } else { false } }).count < 2 {
            outputs += controller.poll()
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(throws: DecoderError.self) { try controller.set(key: "nope", value: "1") }
        try controller.set(key: "threshold", value: "0.1")
        controller.resume()
        controller.waitForEnd()
        outputs += controller.poll()
        guard case .end(let end) = outputs.last else { Issue.record("no end record"); return }
        #expect(end.reason == .finished)
        let changes = outputs.flatMap { output -> [Event] in if case .step(let s) = output { s.events } else { [] } }
            .filter { if case .parameterChange = $0 { true } else { false } }
        #expect(changes.count == 1)
        controller.restart(seed: 9)
        controller.cancel()
        controller.wait()
        #expect(!controller.isRunning)
    }

    @Test("the controller's AsyncStream delivers every step and the end record")
    func stream() async throws {
        let controller = SessionController.start(try makeSession(), paused: true)
        let outputs = controller.stream()
        controller.resume()
        var steps = 0
        for await output in outputs {
            if case .step = output { steps += 1 }
            if case .end(let end) = output {
                #expect(end.steps == steps)
                break
            }
        }
        controller.cancel()
        controller.wait()
    }
}
