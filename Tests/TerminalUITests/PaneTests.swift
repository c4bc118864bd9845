import Recording
import Testing
@testable import TerminalUI

@Suite struct PaneTests {
    static func frame(_ step: Int) -> LaneFrame { LaneFrame(lane: Lane(replay: SampleTrajectory.replay()), viewedStep: step) }

    @Test("canvas pane alone, 40 columns: wrapping and roles")
    func canvasPane() {
        var screen = Screen(width: 40, height: 8)
        CanvasPane(frame: Self.frame(5), showGhosts: false, maskGlyph: "░", cursor: nil).draw(into: &screen, x: 0, y: 0, width: 40, height: 8)
        Snapshot.check(screen, "pane-canvas")
    }

    @Test("stats pane alone")
    func statsPane() {
        var screen = Screen(width: 30, height: 22)
        let frame = Self.frame(5)
        let parameters = PlaygroundState().parameters(of: frame.lane, canvas: frame.canvas)
        StatsPane(frame: frame, parameters: parameters, selectedParameter: 3, histogram: .confidence)
            .draw(into: &screen, x: 0, y: 0, width: 30, height: 22)
        Snapshot.check(screen, "pane-stats")
        #expect(screen.lines.contains { $0.contains("threshold") && $0.contains("0.8") })
    }

    @Test("inspector pane alone")
    func inspectorPane() {
        var screen = Screen(width: 50, height: 5)
        InspectorPane(frame: Self.frame(7), position: SampleTrajectory.p(4)).draw(into: &screen, x: 0, y: 0, width: 50, height: 5)
        Snapshot.check(screen, "pane-inspector")
    }

    @Test("history lists prediction, draft, verify, remask and commit in order")
    func history() {
        let entries = InspectorPane.history(of: SampleTrajectory.p(4), in: Self.frame(7)).map { "s\($0.step) \($0.text)" }
        #expect(entries == [
            "s1 predicted \" roof\" 30%", "s2 predicted \" sky\" 50%", "s2 drafted \" sky\" 50% by forced-top1",
            "s3 verified 0.20 fail", "s3 remasked \" sky\" (score 0.20)", "s4 committed \" roof\" 97% by threshold",
        ])
    }

    @Test("sparkline scales to the largest step")
    func sparkline() {
        let pane = StatsPane(frame: Self.frame(0), parameters: [], selectedParameter: nil, histogram: .confidence)
        #expect(pane.sparkline([0, 1, 2, 4], width: 10) == " ▂▄█")
        #expect(pane.sparkline([1, 2, 3], width: 2) == "▆█")
    }
}
