import Foundation
@testable import Evaluation
import Testing

@Suite struct SuiteAndScorerTests {
    @Test func scorers() {
        #expect(Scorer.exact.isCorrect(answer: " 579\n", expected: "579"))
        #expect(!Scorer.exact.isCorrect(answer: "5790", expected: "579"))
        #expect(Scorer.answerIs.isCorrect(answer: "3 + 4 = 7. 7 * 2 = 14. The answer is 14.", expected: "14"))
        #expect(!Scorer.answerIs.isCorrect(answer: "The answer is 13. Not 14", expected: "14"))
        #expect(Scorer.answerIs.isCorrect(answer: "so 1,234 in all", expected: "1234"))
        #expect(Scorer.lastNumber.isCorrect(answer: "a -5 b 2.50", expected: "2.5"))
        #expect(!Scorer.answerIs.isCorrect(answer: "no digits", expected: "1"))
    }

    @Test func loadsOurFormatAndGSM8K() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("suite-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = dir.appendingPathComponent("a.jsonl")
        try #"{"id":"x-1","task":"x","prompt":"1+1?","answer":"2","scorer":"exact"}"#.appending("\n\n").write(to: ours, atomically: true, encoding: .utf8)
        let gsm = dir.appendingPathComponent("b.jsonl")
        try #"{"question":"How many?","answer":"2 + 2 = 4\n#### 4"}"#.write(to: gsm, atomically: true, encoding: .utf8)
        let suite = try TaskSuite.load(from: dir)
        #expect(suite.items.map(\.answer) == ["2", "4"])
        #expect(suite.items[1].scorer == .answerIs && suite.items[1].prompt == "How many?")

        let bad = dir.appendingPathComponent("c.jsonl")
        try "{\"id\": 1}\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: SuiteError.self) { try TaskSuite.load(from: bad) }
        do { _ = try TaskSuite.load(from: bad) } catch { #expect(error.description.contains("c.jsonl:1")) }
        #expect(throws: SuiteError.missing(dir.appendingPathComponent("nope").path)) { try TaskSuite.load(from: dir.appendingPathComponent("nope")) }
    }
}
