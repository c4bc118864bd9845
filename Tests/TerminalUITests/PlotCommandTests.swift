import Foundation
import Testing
import TestSupport

/// `dllm-play plot` through the real binary: a bench report in, three SVG files and a Markdown
/// section out, with no model loaded.
@Suite("plot command")
struct PlotCommandTests {
    /// Two settings of two items each, as `bench --json` writes them.
    static let report = """
    {"suite": "s", "model": "m", "seed": 0, "itemsPerSetting": 2, "complete": true, "yMax": 100, "aup": {"x": 1}, "machine": "test",
     "summaries": [
      {"setting": {"decoder": "x", "overrides": {}}, "label": "x (reference)", "items": 2, "correct": 2, "accuracy": 100,
       "meanNFE": 2, "tokensPerForward": 1, "tokensPerSecond": 1, "wallSeconds": 1, "meanARness": 0.5, "meanEmergence": 0.5},
      {"setting": {"decoder": "x", "overrides": {"k": "1"}}, "label": "x k=1", "items": 2, "correct": 1, "accuracy": 50,
       "meanNFE": 2, "tokensPerForward": 1, "tokensPerSecond": 1, "wallSeconds": 1, "meanARness": -1, "meanEmergence": 1}],
     "results": [
      {"setting": "x (reference)", "itemID": "i1", "correct": true, "outcome": {"answer": "1", "nfe": 2, "usefulTokens": 2, "seconds": 0.5,
       "arness": 1, "emergence": 0.5, "remasked": 0, "remaskedChanged": 0, "decodeOrder": {"steps": 2, "useful": 2, "positions": [1, 2, 2]}}},
      {"setting": "x (reference)", "itemID": "i2", "correct": true, "outcome": {"answer": "2", "nfe": 2, "usefulTokens": 2, "seconds": 0.5,
       "arness": 0, "emergence": 0.5, "remasked": 1, "remaskedChanged": 1, "decodeOrder": {"steps": 2, "useful": 3, "positions": [2, 1, 2]}}},
      {"setting": "x k=1", "itemID": "i1", "correct": true, "outcome": {"answer": "1", "nfe": 2, "usefulTokens": 2, "seconds": 0.5,
       "arness": -1, "emergence": 1, "decodeOrder": {"steps": 2, "useful": 2, "positions": [2, 1, null]}}},
      {"setting": "x k=1", "itemID": "i2", "correct": false, "outcome": {"answer": "3", "nfe": 2, "usefulTokens": 2, "seconds": 0.5,
       "arness": -1, "emergence": 1, "decodeOrder": {"steps": 2, "useful": 2, "positions": [2, 1, 1]}}}]}
    """

    @Test("writes the AR-ness, emergence and decode-order plots and a Markdown section linking them")
    func writesPlots() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("run.json"), markdown = folder.appendingPathComponent("plots.md")
        try Self.report.write(to: report, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(URL(fileURLWithPath: binary),
                                          ["plot", report.path, "--markdown", markdown.path, "--link-prefix", "results/"],
                                          capturing: .standardOutput)
        #expect(result.status == 0, "\(result.text)")
        for name in ["run-arness.svg", "run-emergence.svg", "run-decode-order.svg"] {
            let svg = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"), "\(name)")
            #expect(result.text.contains("wrote \(folder.appendingPathComponent(name).path)"))
        }
        // i1 is nearest both medians (0.5 and −1): 0.5 + 0 against i2's 0.5 + 0, a tie the earlier item wins.
        let order = try String(contentsOf: folder.appendingPathComponent("run-decode-order.svg"), encoding: .utf8)
        #expect(order.contains("Decode order of i1") && order.contains("x k=1 · 2 steps"))
        let page = try String(contentsOf: markdown, encoding: .utf8)
        #expect(page.hasPrefix("## s: plots") && page.contains("](results/run-arness.svg)") && page.contains("](results/run-decode-order.svg)"))
    }
}
