import Foundation
import Recording
import TerminalUI
import Testing
import TestSupport

/// The HTML player: one self-contained file, and what a real browser (headless Chromium) shows
/// when it opens it at a step.
@Suite struct HTMLExportTests {
    private func page(lanes: [Replay]? = nil) throws -> String {
        try HTMLExport.html(lanes: lanes ?? [SampleTrajectory.replay()], label: "demo", theme: .builtIn)
    }

    @Test("self-contained: no external reference, data as JSON, markup in token texts cannot escape")
    func selfContained() throws {
        var replay = SampleTrajectory.replay()
        var trajectory = SampleTrajectory.trajectory()
        trajectory.header.tokenTexts["1"] = "</script><script>alert(1)</script>"
        replay = Replay(trajectory: trajectory)
        let html = try page(lanes: [replay])
        for reference in ["src=", "href=", "http://", "https://", "@import", "url("] {
            #expect(!html.contains(reference), "page refers to something outside itself: \(reference)")
        }
        #expect(html.components(separatedBy: "</script>").count == 3, "exactly two script blocks close")
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"data\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
        let lanes = try #require(json?["lanes"] as? [[String: Any]])
        #expect(lanes.count == 1 && (lanes[0]["steps"] as? [Any])?.count == 7)
    }

    private func browse(_ html: String, fragment: String, screenshot: URL? = nil) throws -> String {
        try HeadlessChromium.browse(html, fragment: fragment, screenshot: screenshot)
    }

    @Test("Chromium plays it: at #step=end the canvas holds the final tokens and the status says 7/7")
    func endStepInBrowser() throws {
        let dom = try browse(try page(), fragment: "#step=end")
        guard !dom.isEmpty else { return }
        #expect(dom.contains("<div id=\"status\">step 7/7</div>"), "\(dom.prefix(2000))")
        let answer = SampleTrajectory.replay().latest
        let shown = try #require(dom.range(of: "<main id=\"lanes\">")).upperBound
        let canvas = String(dom[shown...])
        let texts = SampleTrajectory.replay().tokenTexts
        for p in answer.answerRange where answer.cells[p].state != .masked {
            let text = (texts[answer.cells[p].token] ?? "").replacingOccurrences(of: "\n", with: "↵")
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            #expect(canvas.contains("data-p=\"\(p)\">\(escaped)</span>"), "position \(p) should show \(text)")
        }
        #expect(canvas.contains("early-stop: 7 steps"), "the end line is missing")
    }

    @Test("Chromium with #order draws the decode-order map: each written answer position as the step that wrote it")
    func orderMapInBrowser() throws {
        let dom = try browse(try page(), fragment: "#step=4&order")
        guard !dom.isEmpty else { return }
        #expect(dom.contains("<input id=\"order\" type=\"checkbox\">"), "the toggle is on the page")
        let canvas = String(dom[try #require(dom.range(of: "<main id=\"lanes\">")).upperBound...])
        let replay = SampleTrajectory.replay(), shown = replay.canvas(afterSteps: 4)
        var checked = 0
        for p in shown.answerRange where shown.cells[p].state != .masked {
            let step = try #require(shown.cells[p].changedAtStep)
            #expect(canvas.contains("order\" data-lane=\"0\" data-p=\"\(p)\"> \(step)</span>"), "position \(p) should show step \(step)")
            checked += 1
        }
        #expect(checked >= 4, "the sample has written positions at step 4")
        // Without #order the same step shows tokens, not steps.
        let plain = try browse(try page(), fragment: "#step=4")
        #expect(!plain.contains(" order\""), "the map is off unless asked for")
    }

    @Test("Chromium at step 0 shows masks only; compare lanes render side by side; a screenshot is taken")
    func startAndCompare() throws {
        let lanes = [SampleTrajectory.replay(), SampleTrajectory.replay()]
        let dom = try browse(try page(lanes: lanes), fragment: "#step=0")
        guard !dom.isEmpty else { return }
        #expect(dom.components(separatedBy: "<section class=\"lane\">").count == 3)
        let start = try #require(dom.range(of: "<main id=\"lanes\">")?.upperBound)
        let end = try #require(dom.range(of: "</main>")?.lowerBound)
        let canvases = String(dom[start..<end])
        #expect(!canvases.contains("class=\"c4") && canvases.contains("class=\"mask"), "step 0 shows masks, no committed token")
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("player-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: png) }
        _ = try browse(try page(lanes: lanes), fragment: "#step=3", screenshot: png)
        let image = try Data(contentsOf: png)
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 5_000)
    }
}
