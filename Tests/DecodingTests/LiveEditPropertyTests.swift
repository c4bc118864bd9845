import Decoding
import Foundation
import Kernels
import Modeling
import Recording
import Testing
import TestSupport

/// Live edits, the way the playground makes them: for every decoder, every parameter, several
/// values (valid ones, the ends of the range, ones the canvas cannot take) at random steps, with a
/// second random edit later, over many seeds on the synthetic predictor. Each decode either takes
/// the edit and ends normally with every mask filled, or refuses it up front and goes on unchanged.
/// The recorded edit events re-simulate to the same trajectory, and an edit before step 1 gives
/// the trajectory of `run --set` with that value.
@Suite struct LiveEditPropertyTests {
    static let answerLength = 32
    /// The property test's canvas: small, so hundreds of decodes per decoder stay quick.
    static let propertyAnswerLength = 16
    static let setup = SessionSetup(promptTokens: testPrompt, promptText: "synthetic", answerLength: answerLength, seed: 0,
                                    tokenizer: "synthetic", tokenText: { "t\($0)" }, writer: "dllm-play tests",
                                    maxSteps: 2_000, recordsTimings: false)

    /// Values to try for one parameter: around the current value, the ends of its range (capped so
    /// a step budget stays a few times the canvas), and for lengths one that does not divide it.
    static func candidates(_ descriptor: ParameterDescriptor) -> [String] {
        let cap = 4 * propertyAnswerLength
        switch descriptor.kind {
        case let .real(range, step):
            let current = Double(descriptor.value) ?? range.lowerBound
            return [current - step, current + step, range.lowerBound, min(range.upperBound, 2), range.upperBound + 1]
                .map(ParameterText.format)
        case let .integer(range, step):
            let current = Int(descriptor.value) ?? range.lowerBound
            return [current - step, current + step, range.lowerBound, min(range.upperBound, cap), range.lowerBound - 1].map(String.init)
        case let .length(divisors):
            return [divisors.first!, divisors[divisors.count / 2], divisors.last!, 6, divisors.last! * 2].map(String.init)
        case .flag:
            return ["true", "false", "maybe"]
        case let .choice(choices):
            return choices + ["nonsense"]
        }
    }

    struct Outcome {
        var steps: [StepRecord] = []
        var header: TrajectoryHeader?
        var end: EndRecord?
        var canvas: Canvas?
        var refused: [String] = []
    }

    /// Decodes with `edits` (key, value, before the step after `atStep`), as the playground would.
    static func run(_ id: String, settings: [String] = [], seed: UInt64, options: SyntheticPredictor.Options,
                    answerLength: Int = answerLength, edits: [(atStep: Int, key: String, value: String)]) throws -> Outcome {
        var setup = Self.setup
        setup.seed = seed
        setup.answerLength = answerLength
        let decoder = try DecoderRegistry.make(id, settings: settings, answerLength: answerLength)
        let session = try Session(decoder: decoder, predictor: SyntheticPredictor(options), setup: setup)
        var outcome = Outcome()
        session.addConsumer { output in
            switch output {
            case .header(let header): outcome.header = header
            case .step(let step): outcome.steps.append(step)
            case .end(let end): outcome.end = end
            }
        }
        while !session.isFinished {
            for edit in edits where edit.atStep == session.canvas.step {
                do { try session.set(key: edit.key, value: edit.value) } catch { outcome.refused.append("\(edit.key)=\(edit.value): \(error)") }
            }
            session.step()
        }
        outcome.canvas = session.canvas
        return outcome
    }

    /// The recorded changes as edits: a change in step record n was made before step n ran.
    static func recordedEdits(_ steps: [StepRecord]) -> [(atStep: Int, key: String, value: String)] {
        steps.flatMap { step in
            step.events.compactMap { event in
                if case .parameterChange(let change) = event { (step.step - 1, change.key, change.newValue) } else { nil }
            }
        }
    }

    static func withoutChanges(_ steps: [StepRecord]) -> [[Event]] {
        steps.map { $0.events.filter { if case .parameterChange = $0 { false } else { true } } }
    }

    @Test("live edits end normally or are refused; recorded edits replay; an edit before step 1 equals --set",
          arguments: DecoderRegistry.ids)
    func liveEdits(id: String) throws {
        let length = Self.propertyAnswerLength
        let descriptors = try DecoderRegistry.make(id, answerLength: length).descriptors(answerLength: length)
        var rng = SplitMix64(seed: UInt64(id.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        var accepted = 0, refused = 0
        for descriptor in descriptors {
            let others = descriptors.filter { $0.key != descriptor.key }
            for value in Self.candidates(descriptor) {
                for _ in 0..<2 {
                    let seed = rng.next() % 1000
                    var options = SyntheticPredictor.Options()
                    options.seed = seed
                    options.sharpness = [0.5, 1, 2, 4][Int(seed % 4)]
                    options.endOfTextBias = seed % 3 == 0 ? 40 : 0
                    let first = Int(rng.next() % 6)
                    let other = others.isEmpty ? nil : others[Int(rng.next() % UInt64(others.count))]
                    let second = other.map { o in (atStep: first + 1 + Int(rng.next() % 6), key: o.key,
                                                   value: Self.candidates(o)[Int(rng.next() % 2)]) }
                    let edits = [(atStep: first, key: descriptor.key, value: value)] + (second.map { [$0] } ?? [])
                    let label = "\(id) \(edits.map { "\($0.key)=\($0.value)@\($0.atStep)" }) seed \(seed)"

                    let outcome = try Self.run(id, seed: seed, options: options, answerLength: length, edits: edits)
                    guard let end = outcome.end, let canvas = outcome.canvas else { Issue.record("\(label): no end"); continue }
                    #expect(end.reason == .finished || end.reason == .earlyStop, "\(label): \(end.reason) \(end.message ?? "")")
                    #expect(canvas.maskedCount == 0, "\(label): masks left")
                    refused += outcome.refused.count
                    let changes = Self.recordedEdits(outcome.steps)
                    accepted += changes.count
                    // A refused edit leaves no trace; an accepted one is recorded once.
                    #expect(changes.count + outcome.refused.count <= edits.count, "\(label)")

                    // The recorded edits re-simulate to the same trajectory and final canvas.
                    let again = try Self.run(id, seed: seed, options: options, answerLength: length, edits: changes)
                    #expect(again.refused.isEmpty, "\(label): replay refused \(again.refused)")
                    let sameSteps = again.steps == outcome.steps, sameCanvas = again.canvas == canvas
                    #expect(sameSteps && sameCanvas, "\(label): re-simulation differs")

                    // Before step 1, an accepted edit is the same decode as `--set key=value`.
                    if first == 0, outcome.refused.isEmpty || !outcome.refused[0].hasPrefix("\(descriptor.key)="),
                       changes.contains(where: { $0.key == descriptor.key && $0.atStep == 0 }) {
                        let set = try Self.run(id, settings: ["\(descriptor.key)=\(value)"], seed: seed, options: options,
                                               answerLength: length, edits: second.map { [$0] } ?? [])
                        let sameSteps = Self.withoutChanges(set.steps) == Self.withoutChanges(outcome.steps)
                        let sameCanvas = set.canvas?.cells == canvas.cells
                        #expect(sameSteps && sameCanvas, "\(label): differs from --set")
                    }
                }
            }
        }
        // The values were chosen so that both happen for every decoder.
        #expect(accepted > 0 && refused > 0, "\(id): accepted \(accepted), refused \(refused)")
    }

    @Test("a cache-mode switch mid-block rebuilds what the new mode needs", arguments: [
        ("prefix", "dual"), ("none", "prefix"), ("none", "dual"), ("dual", "prefix"), ("dual", "none"),
    ])
    func cacheSwitch(from: String, to: String) throws {
        for id in ["fast-dllm", "r2"] {
            let outcome = try Self.run(id, settings: ["cache=\(from)", "block_length=16"], seed: 3, options: SyntheticPredictor.Options(),
                                       edits: [(atStep: 2, key: "cache", value: to)])
            #expect(outcome.end?.reason == .finished, "\(id) \(from)→\(to): \(outcome.end?.message ?? "")")
            #expect(outcome.refused.isEmpty)
            let switched = outcome.steps.first { step in step.events.contains { if case .parameterChange = $0 { true } else { false } } }
            let rebuilt = switched?.events.contains { if case .cache(let c) = $0 { c.reason == "cache-mode" } else { false } } ?? false
            #expect(rebuilt == (to != "none"), "\(id) \(from)→\(to)")
        }
    }

    @Test("refusals name the reason: restart-timed keys, spent budgets, lengths that do not divide")
    func refusals() throws {
        func refusal(_ id: String, _ settings: [String], after steps: Int, _ key: String, _ value: String) throws -> String? {
            let outcome = try Self.run(id, settings: settings, seed: 1, options: SyntheticPredictor.Options(),
                                       edits: [(atStep: steps, key: key, value: value)])
            return outcome.refused.first
        }
        #expect(try refusal("d3llm", [], after: 1, "block_length", "16")?.contains("takes effect on restart") == true)
        #expect(try refusal("d3llm", [], after: 0, "block_length", "16") == nil)
        #expect(try refusal("llada", ["block_length=8"], after: 1, "steps", "33")?.contains("not a multiple of the number of blocks") == true)
        #expect(try refusal("llada", ["block_length=8"], after: 9, "steps", "12")?.contains("at least") == true)
        #expect(try refusal("dream", [], after: 3, "steps", "2")?.contains("already taken") == true)
        #expect(try refusal("fast-dllm", [], after: 1, "block_length", "64")?.contains("does not divide the gen length 32") == true)
        #expect(try refusal("wino", [], after: 1, "block_length", "12")?.contains("valid: 1, 2, 4, 8, 16, 32") == true)
    }

    @Test("llada keeps its step budget when block_length changes mid-decode")
    func lladaBudget() throws {
        let outcome = try Self.run("llada", settings: ["block_length=16"], seed: 2, options: SyntheticPredictor.Options(),
                                   edits: [(atStep: 1, key: "block_length", value: "8")])
        #expect(outcome.end?.nfe == Self.answerLength)
    }
}

/// The same edits through the controller the playground uses: refusals come back with their
/// reason, a cache switch mid-block finishes, and a restart-timed edit restarts on the same seed.
@Suite struct ControllerEditTests {
    static func session(_ id: String, _ settings: [String]) throws -> Session {
        try Session(decoder: try DecoderRegistry.make(id, settings: settings, answerLength: 32), predictor: SyntheticPredictor(),
                    setup: SessionSetup(promptTokens: [3, 4], answerLength: 32, seed: 4, recordsTimings: false))
    }

    static func steps(_ controller: SessionController, _ count: Int) -> [SessionOutput] {
        var outputs: [SessionOutput] = []
        for _ in 0..<count { controller.stepOnce() }
        while outputs.filter({ if case .step = $0 { true } else { false } }).count < count {
            outputs += controller.poll()
            Thread.sleep(forTimeInterval: 0.002)
        }
        return outputs
    }

    @Test("cache prefix → dual mid-block through the controller finishes; a bad edit is refused with its reason")
    func cacheSwitchAndRefusal() throws {
        let controller = SessionController.start(try Self.session("fast-dllm", ["cache=prefix", "block_length=16"]), paused: true,
                                                 check: try DecoderRegistry.entry("fast-dllm").check)
        _ = Self.steps(controller, 2)
        try controller.set(key: "cache", value: "dual")
        try controller.set(key: "block_length", value: "12")
        _ = Self.steps(controller, 1)
        let refusals = controller.pollRefusals()
        #expect(refusals.map(\.key) == ["block_length"] && refusals.first?.reason.contains("does not divide") == true)
        #expect(controller.parameterDescriptors.first { $0.key == "cache" }?.value == "dual")
        controller.resume()
        controller.waitForEnd()
        guard case .end(let end) = controller.poll().last else { Issue.record("no end record"); return }
        #expect(end.reason == .finished, "\(end.message ?? "")")
        controller.cancel()
        controller.wait()
    }

    @Test("a restart-timed edit mid-decode restarts on the same seed with the new value")
    func restartTimed() throws {
        let controller = SessionController.start(try Self.session("d3llm", []), paused: true,
                                                 check: try DecoderRegistry.entry("d3llm").check)
        _ = Self.steps(controller, 1)
        try controller.set(key: "block_length", value: "16")
        try controller.setAndRestart(key: "block_length", value: "16")
        var header: TrajectoryHeader?
        while header == nil {
            for case .header(let h) in controller.poll() { header = h }
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(header?.config["block_length"] == "16" && header?.seed == 4)
        #expect(controller.pollRefusals().first?.reason.contains("takes effect on restart") == true)
        controller.cancel()
        controller.wait()
    }
}

/// A branch: a fresh session re-simulates the parent through step k with the recorded edits,
/// through the controller the playground uses, and shares the parent's steps exactly.
@Suite struct BranchResimulationTests {
    @Test("re-simulating through step k with the recorded edits reproduces the parent's first k steps",
          arguments: ["fast-dllm", "llada", "wino", "dream"])
    func resimulation(id: String) throws {
        let parent = try LiveEditPropertyTests.run(id, seed: 11, options: SyntheticPredictor.Options(),
                                                   edits: [(atStep: 1, key: "temperature", value: "0.5"),
                                                           (atStep: 3, key: "temperature", value: "0")])
        let k = min(5, parent.steps.count)
        let header = try #require(parent.header)
        var setup = LiveEditPropertyTests.setup
        setup.seed = header.seed
        setup.branch = BranchOrigin(parentFile: "parent.jsonl", step: k)
        let settings = header.config.keys.sorted().map { "\($0)=\(header.config[$0]!)" }
        let session = try Session(decoder: try DecoderRegistry.make(id, settings: settings), predictor: SyntheticPredictor(), setup: setup)
        let controller = SessionController.start(session, paused: true)
        controller.resimulate(edits: RecordedEdit.all(in: Array(parent.steps.prefix(k))), through: k)
        var steps: [StepRecord] = [], branchHeader: TrajectoryHeader?
        while steps.count < k {
            for output in controller.poll() {
                if case .step(let step) = output { steps.append(step) }
                if case .header(let h) = output { branchHeader = h }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(steps == Array(parent.steps.prefix(k)))
        #expect(branchHeader?.branch == BranchOrigin(parentFile: "parent.jsonl", step: k))
        #expect(controller.isPaused && controller.pollRefusals().isEmpty)
        controller.cancel()
        controller.wait()
    }
}
