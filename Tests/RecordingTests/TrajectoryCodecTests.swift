import Foundation
import Recording
import Testing

@Suite struct TrajectoryCodecTests {
    static func sample() -> Trajectory {
        let header = TrajectoryHeader(
            model: ModelIdentity(name: "tiny", family: "llada", weightsHash: "abc"), tokenizer: "tokenizer.json#1",
            decoder: "fast-dllm", config: ["threshold": "0.9", "block_length": "2"], seed: 7,
            promptText: "Hi", promptTokens: [1, 2], canvasLength: 6, maskTokenID: 99, stopTokenIDs: [3],
            tokenTexts: ["1": "H", "2": "i"], writer: "dllm-play test")
        let steps = [
            StepRecord(step: 1, events: [
                .forward(Forward(mode: .full, window: PositionRange(0, 6), milliseconds: 1.5)),
                .block(BlockChange(.open, block: 0, span: PositionRange(2, 4))),
                .commit([Commit(position: 2, token: 10, confidence: 0.95, entropy: 0.2, reason: .threshold)]),
            ], tokenTexts: ["10": " there"], milliseconds: 2),
            StepRecord(step: 2, events: [
                .forward(Forward(mode: .dualCached, window: PositionRange(2, 4), milliseconds: 0.5)),
                .commit([Commit(position: 3, token: 11, confidence: 0.5, reason: .forcedTop1)]),
                .block(BlockChange(.advance, block: 1, span: PositionRange(4, 6))),
            ], tokenTexts: ["11": "!"], milliseconds: 1),
            StepRecord(step: 3, events: [
                .forceFill([Commit(position: 4, token: 3, confidence: 1, reason: .eosFill),
                            Commit(position: 5, token: 3, confidence: 1, reason: .eosFill)]),
            ], tokenTexts: ["3": "<eos>"], milliseconds: 1),
        ]
        let end = EndRecord(reason: .finished, steps: 3, nfe: 2, usefulTokens: 2, seconds: 0.004, answerText: " there!")
        return Trajectory(header: header, steps: steps, end: end)
    }

    @Test("a written trajectory reads back identically")
    func roundTrip() throws {
        let trajectory = Self.sample()
        let data = try TrajectoryReader.encode(trajectory)
        #expect(try TrajectoryReader.read(data: data, source: "mem") == trajectory)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("{\"canvasLength\":6,"))  // sorted keys
    }

    @Test("the writer produces the same bytes as encode, one flushed line at a time")
    func writerMatchesEncoding() throws {
        let trajectory = Self.sample()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TrajectoryWriter(path: path)
        try writer.write(trajectory.header)
        try writer.write(trajectory.steps[0])
        // Visible before the writer is done: each line is flushed.
        #expect(try TrajectoryReader.read(path: path).steps.count == 1)
        for step in trajectory.steps.dropFirst() { try writer.write(step) }
        try writer.write(trajectory.end!)
        #expect(FileManager.default.contents(atPath: path) == (try TrajectoryReader.encode(trajectory)))
    }

    @Test("a truncated last line keeps every complete step and says where it stopped")
    func truncatedFile() throws {
        var data = try TrajectoryReader.encode(Trajectory(header: Self.sample().header, steps: Self.sample().steps))
        data = data.prefix(data.count - 25)
        let read = try TrajectoryReader.read(data: data, source: "cut.jsonl")
        #expect(read.steps == Array(Self.sample().steps.prefix(2)))
        #expect(read.end == nil)
        #expect(read.note?.contains("line 4") == true)
        #expect(read.note?.contains("incomplete") == true)
    }

    @Test("a complete last line without its newline is kept; lines after the end record are noted")
    func edgesOfTheFile() throws {
        let data = try TrajectoryReader.encode(Self.sample())
        let unterminated = try TrajectoryReader.read(data: data.dropLast(), source: "x.jsonl")
        #expect(unterminated == Self.sample())
        let extra = try TrajectoryReader.read(data: data + Data("{}\n".utf8), source: "x.jsonl")
        #expect(extra.steps.count == 3 && extra.end != nil)
        #expect(extra.note == "stopped at line 6: content after the end record")
        let blank = try TrajectoryReader.read(data: Data("\n".utf8) + data, source: "x.jsonl")
        #expect(blank.steps.count == 3)
    }

    @Test("a header whose canvas is shorter than its prompt is refused")
    func inconsistentHeader() throws {
        var header = Self.sample().header
        header.canvasLength = 1
        let data = try TrajectoryReader.encode(Trajectory(header: header))
        #expect(throws: TrajectoryError.self) { try TrajectoryReader.read(data: data, source: "x.jsonl") }
    }

    @Test("a bad middle line stops the read there with the reason")
    func badMiddleLine() throws {
        var text = String(decoding: try TrajectoryReader.encode(Self.sample()), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        text[2] = "{\"step\": \"two\"}"
        let read = try TrajectoryReader.read(data: Data((text.joined(separator: "\n") + "\n").utf8), source: "bad.jsonl")
        #expect(read.steps.count == 1)
        #expect(read.note?.hasPrefix("stopped at line 3: expected a step or end record") == true)
    }

    @Test("a bad header names the file, the line and what was expected")
    func badHeader() throws {
        let cases: [(String, String)] = [
            ("not json\n", "not a JSON object"),
            ("{\"format\":\"other\",\"version\":1}\n", "format \"other\""),
            ("{\"format\":\"dllm-play-trajectory\",\"version\":9}\n", "version 9"),
            ("{\"format\":\"dllm-play-trajectory\",\"version\":1}\n", "missing"),
            ("", "empty input"),
        ]
        for (text, found) in cases {
            do {
                _ = try TrajectoryReader.read(data: Data(text.utf8), source: "h.jsonl")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.source == "h.jsonl" && error.line == 1)
                #expect(error.description.contains(found), "\(error.description)")
                #expect(error.description.hasPrefix("h.jsonl:1: expected"))
            }
        }
    }

    @Test("a stream delivers lines as they arrive and notes a cut-off end")
    func streamFollowsAPipe() throws {
        let pipe = Pipe()
        let stream = TrajectoryStream(handle: pipe.fileHandleForReading, source: "-")
        stream.start()
        let data = try TrajectoryReader.encode(Trajectory(header: Self.sample().header, steps: Self.sample().steps))
        pipe.fileHandleForWriting.write(data.prefix(data.count - 10))
        try pipe.fileHandleForWriting.close()
        var updates: [TrajectoryStream.Update] = []
        let deadline = Date().addingTimeInterval(5)
        while updates.last != .closed && Date() < deadline {
            updates += stream.drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
        let steps = updates.compactMap { if case .line(.step(let s)) = $0 { s } else { nil } }
        #expect(steps.count == 2)
        #expect(updates.contains { if case .note(let n) = $0 { n.contains("incomplete") } else { false } })
    }
}
