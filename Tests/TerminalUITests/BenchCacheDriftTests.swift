import Foundation
import Testing
import TestSupport

/// `bench --cache-drift` through the real binary on the tiny fixture model: cached settings report
/// how many final tokens differ from the uncached twin; uncached ones report none.
@Suite("bench --cache-drift")
struct BenchCacheDriftTests {
    @Test("cached settings carry a drift count per item and a mean; uncached settings none")
    func drift() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let model = try CommandLineTests.tinyModel()
        defer { try? FileManager.default.removeItem(at: model) }
        let suite = model.appendingPathComponent("one.jsonl"), report = model.appendingPathComponent("report.json")
        try #"{"id": "add-1", "task": "addition", "prompt": "What is 2 + 3?", "answer": "5", "scorer": "exact"}"#.write(to: suite, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(URL(fileURLWithPath: binary),
                                          ["bench", "--model", model.path, "--suite", suite.path, "--decoders", "fast-dllm,dparallel",
                                           "--limit", "1", "--gen-length", "16", "--template", "raw", "--cache-drift", "--json", report.path],
                                          capturing: .standardOutput)
        #expect(result.status == 0, "\(result.text)")
        #expect(result.text.contains("drift"), "the table has a drift column")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        let drifts = results.map { (($0["outcome"] as? [String: Any])?["cacheDrift"] as? Int) }
        #expect(drifts.count == 2 && drifts[0].map { (0...16).contains($0) } == true && drifts[1] == nil, "\(drifts)")
        let summaries = try #require(json["summaries"] as? [[String: Any]])
        #expect(summaries[0]["meanCacheDrift"] is Double && summaries[1]["meanCacheDrift"] == nil)
    }
}
