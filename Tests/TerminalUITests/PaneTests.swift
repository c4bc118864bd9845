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
        let parameters = PlaygroundState().parameterRows(of: frame.lane, canvas: frame.canvas, isFirst: true)
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

@Suite struct CanvasLayoutTests {
    static func frame(texts: [Int: String], answer: [Int]) -> LaneFrame {
        var header = SampleTrajectory.header()
        header.promptTokens = [2]
        header.canvasLength = 1 + answer.count
        header.tokenTexts = Dictionary(uniqueKeysWithValues: texts.map { (String($0.key), $0.value) })
        var replay = Replay(header: header)
        replay.append(StepRecord(step: 1, events: [.commit(answer.enumerated().map {
            Commit(position: 1 + $0.offset, token: $0.element, confidence: 0.9, reason: .threshold)
        })]))
        return LaneFrame(lane: Lane(replay: replay), viewedStep: 1)
    }

    @Test("a token that does not fit moves to the next row; one wider than the pane flows on and splits between characters")
    func wrapping() {
        let frame = Self.frame(texts: [2: "P", 10: "abcd", 11: "efghijklmn", 12: "世界世界"], answer: [10, 10, 11, 12])
        let pane = CanvasPane(frame: frame, showGhosts: false, maskGlyph: "_", cursor: nil)
        let (pieces, rows) = pane.layout(width: 6)
        let summary = pieces.map { "\($0.position)@\($0.row),\($0.column):\($0.text)" }
        #expect(summary == ["0@0,0:P", "1@1,0:abcd", "2@2,0:abcd", "3@2,4:ef", "3@3,0:ghijkl", "3@4,0:mn", "4@4,2:世界", "4@5,0:世界"])
        #expect(rows == 6)
        var screen = Screen(width: 6, height: 7)
        pane.draw(into: &screen, x: 0, y: 0, width: 6, height: 7)
        #expect(screen.lines == ["P     ", "abcd  ", "abcdef", "ghijkl", "mn世界", "世界  ", "      "])
    }

    @Test("a wide character never straddles the right edge")
    func wideAtEdge() {
        let frame = Self.frame(texts: [2: "P", 10: "abc", 12: "世"], answer: [10, 12, 12])
        let pane = CanvasPane(frame: frame, showGhosts: false, maskGlyph: "_", cursor: nil)
        var screen = Screen(width: 4, height: 4)
        pane.draw(into: &screen, x: 0, y: 0, width: 4, height: 4)
        #expect(screen.lines == ["P   ", "abc ", "世世", "    "])
    }
}

@Suite struct InspectorGaugeTests {
    @Test("a gauge that names positions shows in the inspector of those positions")
    func streakGauge() {
        var trajectory = SampleTrajectory.trajectory()
        trajectory.steps[0].events.append(.gauge(Gauge(name: "streak", value: 2, threshold: 3, positions: [SampleTrajectory.p(3)])))
        let frame = LaneFrame(lane: Lane(replay: Replay(trajectory: trajectory)), viewedStep: 1)
        var screen = Screen(width: 70, height: 5)
        InspectorPane(frame: frame, position: SampleTrajectory.p(3)).draw(into: &screen, x: 0, y: 0, width: 70, height: 5)
        #expect(screen.lines.joined().contains("streak 2/3"))
        var other = Screen(width: 70, height: 5)
        InspectorPane(frame: frame, position: SampleTrajectory.p(2)).draw(into: &other, x: 0, y: 0, width: 70, height: 5)
        #expect(!other.lines.joined().contains("streak"))
    }
}
