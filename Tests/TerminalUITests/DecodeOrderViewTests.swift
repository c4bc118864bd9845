import Foundation
import Recording
import Testing
@testable import TerminalUI

/// The `o` toggle: the canvas draws each written answer position as the step that wrote it.
@Suite struct DecodeOrderViewTests {
    @Test("o shows the step of each written position, early steps at the gradient's top; o again restores tokens")
    func toggle() {
        var playground = PlaygroundTests.loaded()
        playground.state.playing = false
        playground.state.viewedStep = 4
        playground.state.following = false
        let frame = LaneFrame(lane: playground.state.lanes[0], viewedStep: 4)
        #expect(playground.handle(.character("o"), size: PlaygroundTests.size).isEmpty && playground.state.showOrder)
        let pane = CanvasPane(frame: frame, showGhosts: false, maskGlyph: "_", cursor: nil, showOrder: true)
        let canvas = frame.canvas
        for p in canvas.answerRange {
            let (text, role, _) = pane.look(p)
            let cell = canvas.cells[p]
            if cell.state == .masked {
                #expect(text == "_" || role == .remasked)
            } else {
                #expect(text == " \(cell.changedAtStep!)", "position \(p) shows \(text)")
                #expect(role == StyleRole.committed(confidence: 1 - Double(cell.changedAtStep! - 1) / 3))
            }
        }
        #expect(pane.look(0).0 == CanvasPane(frame: frame, showGhosts: false, maskGlyph: "_", cursor: nil).look(0).0, "prompt unchanged")
        let screen = render(playground.state, theme: .builtIn, size: PlaygroundTests.size)
        let text = (0..<screen.height).map { y in (0..<screen.width).map { screen[$0, y].text }.joined() }.joined(separator: "\n")
        #expect(text.contains(" 1 1 2 3 4 4 4 4░"), "\(text)")
        _ = playground.handle(.character("o"), size: PlaygroundTests.size)
        #expect(!playground.state.showOrder)
    }
}
