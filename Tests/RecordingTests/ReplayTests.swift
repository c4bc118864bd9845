import Recording
import Testing

@Suite struct ReplayTests {
    @Test("the canvas at any step equals applying the steps from the start")
    func canvasAtEveryStep() throws {
        let trajectory = TrajectoryCodecTests.sample()
        for interval in [1, 2, 32] {
            let replay = Replay(trajectory: trajectory, snapshotInterval: interval)
            #expect(replay.count == 3 && replay.isFinished && replay.note == nil)
            var canvas = Canvas(header: trajectory.header)
            #expect(replay.canvas(afterSteps: 0) == canvas)
            for (index, step) in trajectory.steps.enumerated() {
                try canvas.apply(step)
                #expect(replay.canvas(afterSteps: index + 1) == canvas)
            }
        }
    }

    @Test("token texts merge the header's and every step's")
    func tokenTexts() {
        let replay = Replay(trajectory: TrajectoryCodecTests.sample())
        #expect(replay.text(of: 1) == "H" && replay.text(of: 10) == " there" && replay.text(of: 3) == "<eos>")
        #expect(replay.milliseconds == 4)
    }

    @Test("a step the canvas rejects ends the replay with a note")
    func rejectedStep() {
        var trajectory = TrajectoryCodecTests.sample()
        trajectory.steps[1].events.append(.commit([Commit(position: 2, token: 1, confidence: 1, reason: .threshold)]))
        let replay = Replay(trajectory: trajectory)
        #expect(replay.count == 1)
        #expect(replay.note?.hasPrefix("stopped at step 2") == true)
        #expect(!replay.isFinished)
    }
}
