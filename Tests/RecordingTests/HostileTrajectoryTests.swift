import Foundation
import Recording
import Testing

/// Trajectories are untrusted: numbers out of range, ids and positions outside the header's
/// bounds, and over-long lines stop the read at the bad line with a note naming it, the same way
/// for a whole file and for a stream.
@Suite struct HostileTrajectoryTests {
    /// The sample with one value of step 2 (line 3) replaced.
    static func corrupted(_ change: (inout StepRecord) -> Void) -> Trajectory {
        var trajectory = TrajectoryCodecTests.sample()
        change(&trajectory.steps[1])
        return trajectory
    }

    static func commit(_ position: Int = 3, token: Int = 11, confidence: Double = 0.5, entropy: Double? = nil) -> Event {
        .commit([Commit(position: position, token: token, confidence: confidence, entropy: entropy, reason: .forcedTop1)])
    }

    static let badSteps: [(String, @Sendable (inout StepRecord) -> Void)] = [
        ("NaN confidence", { $0.events[1] = commit(confidence: .nan) }),
        ("huge confidence", { $0.events[1] = commit(confidence: 1e300) }),
        ("negative entropy", { $0.events[1] = commit(entropy: -1) }),
        ("infinite entropy", { $0.events[1] = commit(entropy: .infinity) }),
        ("position -1", { $0.events[1] = commit(-1) }),
        ("position past the canvas", { $0.events[1] = commit(6) }),
        ("prompt position", { $0.events[1] = commit(0) }),
        ("negative token", { $0.events[1] = commit(token: -4) }),
        ("huge probability", { $0.events.append(.predict([Prediction(position: 3, tokens: [1], probabilities: [1e300], entropy: 0)])) }),
        ("NaN entropy", { $0.events.append(.predict([Prediction(position: 3, tokens: [1], probabilities: [0.5], entropy: .nan)])) }),
        ("tokens without probabilities", { $0.events.append(.predict([Prediction(position: 3, tokens: [1, 2], probabilities: [0.5], entropy: 1)])) }),
        ("window past the canvas", { $0.events[0] = .forward(Forward(mode: .full, window: PositionRange(0, 99), milliseconds: 1)) }),
        ("negative forward time", { $0.events[0] = .forward(Forward(mode: .full, window: PositionRange(0, 6), milliseconds: -1)) }),
        ("infinite gauge", { $0.events.append(.gauge(Gauge(name: "g", value: .infinity))) }),
        ("gauge position past the canvas", { $0.events.append(.gauge(Gauge(name: "g", value: 1, positions: [1 << 40]))) }),
        ("repeated step number", { $0.step = 1 }),
        ("NaN step time", { $0.milliseconds = .nan }),
    ]

    @Test("a bad value stops the read at its line, naming it", arguments: badSteps.indices)
    func badValueStops(index: Int) throws {
        let (name, change) = Self.badSteps[index]
        let data = try TrajectoryReader.encode(Self.corrupted(change))
        let read = try TrajectoryReader.read(data: data, source: "bad.jsonl")
        #expect(read.steps.count == 1, "\(name)")
        #expect(read.end == nil, "\(name): the end record describes steps that were not kept")
        #expect(read.note?.hasPrefix("stopped at line 3 (step ") == true, "\(name): \(read.note ?? "no note")")
        #expect(read.hasInvalidData, "\(name)")
    }

    @Test("token ids must lie inside the vocabulary the header declares")
    func vocabulary() throws {
        var trajectory = TrajectoryCodecTests.sample()
        trajectory.header.vocabularySize = 100
        #expect(try TrajectoryReader.read(data: try TrajectoryReader.encode(trajectory), source: "v.jsonl").note == nil)
        trajectory.header.vocabularySize = 11
        trajectory.header.maskTokenID = 0
        let read = try TrajectoryReader.read(data: try TrajectoryReader.encode(trajectory), source: "v.jsonl")
        #expect(read.steps.count == 1)
        #expect(read.note?.contains("token id 11 is outside the vocabulary 0..<11") == true, "\(read.note ?? "")")
    }

    @Test("a header with a negative mask id or ids outside its vocabulary is refused")
    func badHeader() throws {
        for change: (inout TrajectoryHeader) -> Void in [{ $0.maskTokenID = -1 }, { $0.vocabularySize = 0 },
                                                          { $0.vocabularySize = 50 }, { $0.promptTokens[0] = -2 }] {
            var trajectory = TrajectoryCodecTests.sample()
            change(&trajectory.header)
            let data = try TrajectoryReader.encode(Trajectory(header: trajectory.header))
            #expect(throws: TrajectoryError.self) { try TrajectoryReader.read(data: data, source: "h.jsonl") }
        }
    }

    @Test("a file and a stream of the same bytes keep the same steps and stop with the same note")
    func streamMatchesFile() throws {
        let data = try TrajectoryReader.encode(Self.corrupted { $0.events[1] = Self.commit(-1) })
        let file = try TrajectoryReader.read(data: data, source: "-")
        let pipe = Pipe()
        let stream = TrajectoryStream(handle: pipe.fileHandleForReading, source: "-")
        stream.start()
        pipe.fileHandleForWriting.write(data)
        try pipe.fileHandleForWriting.close()
        var updates: [TrajectoryStream.Update] = []
        let deadline = Date().addingTimeInterval(10)
        while updates.last != .closed && Date() < deadline {
            updates += stream.drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
        let steps = updates.compactMap { if case .line(.step(let s)) = $0 { s } else { nil } }
        #expect(steps == file.steps)
        #expect(!updates.contains { if case .line(.end) = $0 { true } else { false } })
        #expect(updates.contains(.note(file.note ?? "")))
    }

    @Test("lines are split the same whatever the chunking, and an over-long line is reported once, not kept")
    func splitting() {
        let text = Data("a\n\nbcd\n0123456789xyz\nef\n0123456789".utf8)
        for chunkSize in [1, 2, 3, 7, 100] {
            var splitter = LineSplitter(maximumLineBytes: 8)
            var pieces: [LineSplitter.Piece] = []
            var offset = 0
            while offset < text.count {
                pieces += splitter.append(text[offset..<min(text.count, offset + chunkSize)])
                offset += chunkSize
            }
            if let last = splitter.finish() { pieces.append(last) }
            let line = { (s: String) in LineSplitter.Piece.line(Data(s.utf8)) }
            #expect(pieces == [line("a"), line(""), line("bcd"), .overlong(9), line("ef"), .overlong(9)], "chunks of \(chunkSize)")
        }
    }

    @Test("an over-long step line stops the read; an over-long header is an error")
    func overlongLines() throws {
        let data = try TrajectoryReader.encode(TrajectoryCodecTests.sample())
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        var parser = TrajectoryParser(source: "long.jsonl", maximumLineBytes: lines[0].count + 1)
        var kept: [TrajectoryLine] = []
        kept += try parser.consume(data + Data(repeating: 0x20, count: 1000) + Data("\n".utf8))
        kept += try parser.finish()
        #expect(parser.stopNote?.contains("a line of") == true, "\(parser.stopNote ?? "")")
        var tiny = TrajectoryParser(source: "long.jsonl", maximumLineBytes: 10)
        #expect(throws: TrajectoryError.self) { _ = try tiny.consume(data) }
    }

    @Test("a rejected step leaves the replay exactly as before it; the masked count follows every write")
    func rejectedStepRollsBack() throws {
        let sample = TrajectoryCodecTests.sample()
        var replay = Replay(header: sample.header, snapshotInterval: 2)
        let first = replay.append(sample.steps[0]), second = replay.append(sample.steps[1])
        #expect(first && second)
        let before = replay.latest
        // A commit of position 2 again: the canvas rejects it after the forward event was applied.
        let bad = StepRecord(step: 3, events: [.forward(Forward(mode: .full, window: PositionRange(0, 6), milliseconds: 1)),
                                               Self.commit(4, token: 3), Self.commit(2, token: 3)])
        let accepted = replay.append(bad)
        #expect(!accepted)
        #expect(replay.latest == before)
        #expect(replay.note?.contains("not masked") == true)
        var canvas = Canvas(header: sample.header)
        for step in sample.steps {
            try canvas.apply(step)
            #expect(canvas.maskedCount == canvas.maskedPositions.count)
        }
    }

    @Test("a long canvas takes snapshots rarely, so a file of many small steps cannot commit a canvas per step")
    func snapshotsScaleWithTheCanvas() {
        var header = TrajectoryCodecTests.sample().header
        header.canvasLength = 1 << 16
        #expect(Replay(header: header).snapshotInterval == (1 << 16) / 8)
        header.canvasLength = 64
        #expect(Replay(header: header).snapshotInterval == 32)
    }
}
