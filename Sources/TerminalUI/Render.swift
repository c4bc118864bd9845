import Recording

/// Terminal size in columns and rows.
public struct TerminalSize: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    public init(columns: Int, rows: Int) { self.columns = columns; self.rows = rows }
    public static let minimum = TerminalSize(columns: 80, rows: 24)
}

/// Pane geometry for a terminal size, shared by `render` and the cursor movement.
struct PaneLayout {
    static let statsWidth = 30
    static let inspectorHeight = 6
    static let compareStatsHeight = 9

    let size: TerminalSize
    let lanes: Int

    /// Lanes side by side (a race has up to four), one border column between neighbours.
    var laneWidth: Int { lanes > 1 ? (size.columns - (lanes - 1)) / lanes : size.columns - Self.statsWidth - 1 }
    /// Rows between the title bar and the timeline.
    var bodyTop: Int { 1 }
    var bodyBottom: Int { size.rows - 2 }
    var canvasTop: Int { bodyTop + 1 }
    var canvasBottom: Int { lanes > 1 ? bodyBottom - Self.compareStatsHeight : bodyBottom - Self.inspectorHeight }
    var canvasHeight: Int { max(0, canvasBottom - canvasTop) }
    func laneX(_ index: Int) -> Int { index * (laneWidth + 1) }
}

/// Draws the whole playground. Pure: the same state, theme and size give the same screen.
public func render(_ state: PlaygroundState, theme: Theme, size: TerminalSize, keyMap: KeyMap = .standard) -> Screen {
    var screen = Screen(width: size.columns, height: size.rows)
    guard size.columns >= TerminalSize.minimum.columns, size.rows >= TerminalSize.minimum.rows else {
        let message = "terminal too small (need \(TerminalSize.minimum.columns)x\(TerminalSize.minimum.rows), have \(size.columns)x\(size.rows))"
        screen.put(message, x: max(0, (size.columns - message.count) / 2), y: size.rows / 2, foreground: .warning)
        return screen
    }
    let layout = PaneLayout(size: size, lanes: max(1, state.lanes.count))
    drawTitleBar(state, into: &screen)
    guard !state.lanes.isEmpty else {
        let waiting = state.notes.last ?? "waiting for a trajectory header…"
        screen.put(waiting, x: 2, y: 3, foreground: state.notes.isEmpty ? .muted : .warning)
        drawStatusLine(state, keyMap: keyMap, into: &screen)
        return screen
    }
    let frames = state.lanes.map { LaneFrame(lane: $0, viewedStep: state.viewedStep) }
    for (index, frame) in frames.enumerated() {
        let x = layout.laneX(index)
        let width = layout.laneWidth
        let branch = frame.header.branch.map { " · branch of step \($0.step)" } ?? ""
        paneTitle("canvas · \(frame.header.decoder)\(branch) · step \(frame.step)/\(frame.lane.replay.count)", x: x, y: layout.bodyTop,
                  width: width, into: &screen)
        CanvasPane(frame: frame, showGhosts: state.showGhosts, maskGlyph: theme.maskGlyph, cursor: state.cursor, showOrder: state.showOrder)
            .draw(into: &screen, x: x, y: layout.canvasTop, width: width, height: layout.canvasHeight)
        let isSingle = frames.count == 1
        let edited = index == state.editLane
        let stats = StatsPane(frame: frame, parameters: state.parameterRows(of: frame.lane, canvas: frame.canvas, isFirst: edited),
                              selectedParameter: edited ? state.selectedParameter : nil, histogram: state.histogram)
        if isSingle {
            let statsX = width + 1
            for row in layout.bodyTop..<layout.bodyBottom { screen.put("│", x: width, y: row, foreground: .border) }
            paneTitle("stats", x: statsX, y: layout.bodyTop, width: PaneLayout.statsWidth, into: &screen)
            stats.draw(into: &screen, x: statsX, y: layout.bodyTop + 1, width: PaneLayout.statsWidth,
                       height: layout.bodyBottom - layout.bodyTop - 1)
            paneTitle("inspector", x: 0, y: layout.canvasBottom, width: width, into: &screen)
            InspectorPane(frame: frame, position: state.cursor)
                .draw(into: &screen, x: 0, y: layout.canvasBottom + 1, width: width, height: PaneLayout.inspectorHeight - 1)
        } else {
            if index >= 1 { for row in layout.bodyTop..<layout.bodyBottom { screen.put("│", x: x - 1, y: row, foreground: .border) } }
            if state.compareShowsInspector {
                // Both lanes inspect the same position, so their histories can be read side by side.
                paneTitle("inspector · \(frame.header.decoder)", x: x, y: layout.canvasBottom, width: width, into: &screen)
                InspectorPane(frame: frame, position: state.cursor)
                    .draw(into: &screen, x: x, y: layout.canvasBottom + 1, width: width, height: PaneLayout.compareStatsHeight - 1)
            } else {
                paneTitle("stats · \(frame.header.decoder)", x: x, y: layout.canvasBottom, width: width, into: &screen)
                stats.draw(into: &screen, x: x, y: layout.canvasBottom + 1, width: width, height: PaneLayout.compareStatsHeight - 1)
            }
        }
    }
    drawTimeline(state, into: &screen)
    drawStatusLine(state, keyMap: keyMap, into: &screen)
    if state.showHelp { HelpOverlay(keyMap: keyMap, isLive: state.isLive).draw(into: &screen) }
    return screen
}

private func paneTitle(_ text: String, x: Int, y: Int, width: Int, into screen: inout Screen) {
    let end = screen.put("─ " + text + " ", x: x, y: y, foreground: .title, limit: x + width)
    screen.put(String(repeating: "─", count: max(0, x + width - end)), x: end, y: y, foreground: .border, limit: x + width)
}

private func drawTitleBar(_ state: PlaygroundState, into screen: inout Screen) {
    screen.clear(x: 0, y: 0, width: screen.width, height: 1, background: .titleBar)
    var left = " dllm-play · \(state.sourceLabel)"
    if let header = state.lanes.first?.replay.header {
        left += " · \(state.lanes.map(\.label).joined(separator: " vs ")) · \(header.model.name) · seed \(header.seed)"
    }
    let speed = state.stepsPerSecond
    let rate = speed.isInfinite ? "max speed" : "\(Format.number(speed, digits: speed < 1 ? 1 : 0)) steps/s"
    let mode = state.playing ? "playing " + rate : "paused"
    let right = (state.endLabel.map { $0 + " · " } ?? "") + mode + " "
    screen.put(left, x: 0, y: 0, foreground: .title, background: .titleBar, limit: screen.width - right.count - 1)
    screen.put(right, x: screen.width - right.count, y: 0, foreground: state.playing ? .value : .warning, background: .titleBar)
}

private func drawTimeline(_ state: PlaygroundState, into screen: inout Screen) {
    let y = screen.height - 2
    screen.clear(x: 0, y: y, width: screen.width, height: 1, background: .statusBar)
    let total = state.totalSteps
    let label = " step \(min(state.viewedStep, total))/\(total)\(state.isFinished ? "" : "…") "
    let tail = state.following ? " following " : state.playing ? " playing " : " scrubbing "
    var x = screen.put(label, x: 0, y: y, foreground: .status, background: .statusBar)
    let barWidth = max(1, screen.width - x - tail.count - 1)
    let marker = total == 0 ? 0 : min(barWidth - 1, state.viewedStep * (barWidth - 1) / max(1, total))
    for column in 0..<barWidth {
        let glyph = column == marker ? "●" : column < marker ? "━" : "─"
        screen.put(glyph, x: x + column, y: y, foreground: column <= marker ? .sparkline : .muted, background: .statusBar)
    }
    x += barWidth + 1
    screen.put(tail, x: x, y: y, foreground: .muted, background: .statusBar)
}

/// Actions named in the status line, with their short names; the keys come from the key map.
private let statusHints: [([Action], String)] = [
    ([.togglePause], "play/pause"), ([.stepForward, .stepBack], "step"),
    ([.cursorLeft, .cursorRight, .cursorUp, .cursorDown], "inspect"), ([.toggleGhosts], "ghosts"),
    ([.toggleHelp], "help"), ([.quit], "quit"),
]

private func drawStatusLine(_ state: PlaygroundState, keyMap: KeyMap, into screen: inout Screen) {
    let y = screen.height - 1
    screen.clear(x: 0, y: y, width: screen.width, height: 1, background: .statusBar)
    if let input = state.input {
        let end = screen.put(" \(input.title): ", x: 0, y: y, foreground: .key, background: .statusBar)
        let after = screen.put(input.text, x: end, y: y, foreground: .status, background: .statusBar)
        screen.put("█", x: after, y: y, foreground: .status, background: .statusBar)
        return
    }
    if let message = state.message ?? state.endProblem ?? state.lanes.lazy.compactMap(\.replay.note).first {
        screen.put(" " + message, x: 0, y: y, foreground: .warning, background: .statusBar)
        return
    }
    let hints: [(String, String)] = statusHints.map { actions, what in
        let keys = actions.compactMap { action in keyMap.bindings.first { $0.action == action }?.keys.first?.label }
        return (keys.joined(separator: keys.allSatisfy { $0.count == 1 && $0 != "." && $0 != "," } ? "" : " "), what)
    }
    var x = 1
    for (key, what) in hints where !key.isEmpty {
        x = screen.put(key, x: x, y: y, foreground: .key, background: .statusBar)
        x = screen.put(" " + what + "  ", x: x, y: y, foreground: .status, background: .statusBar)
    }
}
