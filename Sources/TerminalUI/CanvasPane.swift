import Recording

/// Lays out the canvas as flowing text, one position after another, and draws it.
struct CanvasPane {
    struct Piece {
        let position: Int
        let row: Int
        let column: Int
        let text: String
        let foreground: StyleRole
    }

    let frame: LaneFrame
    let showGhosts: Bool
    let maskGlyph: String
    let cursor: Int?
    /// The decode-order map: written answer positions show the step that wrote them, coloured
    /// from the gradient's top (early) to its bottom (late).
    var showOrder = false

    /// Pieces of every position for a pane `width` columns wide (a long token wraps over rows).
    func layout(width: Int) -> (pieces: [Piece], rows: Int) {
        var pieces: [Piece] = []
        var row = 0, column = 0
        let canvas = frame.canvas
        for position in 0..<canvas.count {
            if position == canvas.promptLength, column > 0 { row += 1; column = 0 }
            let (text, role, breaks) = look(position)
            var chunk = ""
            var chunkWidth = 0
            let total = DisplayWidth.of(text)
            if column > 0, column + total > width, total <= width { row += 1; column = 0 }
            let startColumn = column
            var pieceStart = startColumn
            for character in text {
                let w = DisplayWidth.of(character)
                if column + w > width {
                    pieces.append(Piece(position: position, row: row, column: pieceStart, text: chunk, foreground: role))
                    row += 1; column = 0; pieceStart = 0; chunk = ""; chunkWidth = 0
                }
                chunk.append(character)
                chunkWidth += w
                column += w
            }
            if !chunk.isEmpty { pieces.append(Piece(position: position, row: row, column: pieceStart, text: chunk, foreground: role)) }
            if breaks { row += 1; column = 0 }
        }
        return (pieces, column == 0 ? row : row + 1)
    }

    /// What a position shows and in which role.
    func look(_ position: Int) -> (String, StyleRole, Bool) {
        let cell = frame.canvas.cells[position]
        let touched = frame.canvas.touchedThisStep.contains(position)
        func token(_ id: Int) -> (String, Bool) { TokenDisplay.sanitize(frame.text(of: id)) }
        if showOrder, cell.state != .prompt, cell.state != .masked, let step = cell.changedAtStep {
            let digits = String(max(1, frame.step)).count
            let label = String(repeating: " ", count: digits - String(step).count) + String(step)
            let lateness = frame.step > 1 ? Double(step - 1) / Double(frame.step - 1) : 0
            return (" " + label, StyleRole.committed(confidence: 1 - lateness), false)
        }
        switch cell.state {
        case .prompt:
            let (text, breaks) = token(cell.token)
            return (text, .prompt, breaks)
        case .masked:
            if touched, let old = cell.replacedToken {
                let (text, _) = token(old)
                return (text, .remasked, false)
            }
            if showGhosts, let ghost = cell.prediction?.tokens.first {
                let (text, _) = token(ghost)
                return (text, .ghost, false)
            }
            return (maskGlyph, .mask, false)
        case .committed:
            let (text, breaks) = token(cell.token)
            return (text, StyleRole.committed(confidence: cell.confidence), breaks)
        case .drafted:
            let (text, breaks) = token(cell.token)
            return (text, .drafted, breaks)
        case .forceFilled:
            let (text, breaks) = token(cell.token)
            return (text, .forced, breaks)
        }
    }

    /// The background a position gets: cursor, then this step's writes, the active block, the cache.
    func background(_ position: Int) -> StyleRole {
        let canvas = frame.canvas
        if position == cursor { return .cursor }
        if canvas.touchedThisStep.contains(position), canvas.cells[position].state != .masked { return .fresh }
        if let block = canvas.activeBlock, let span = canvas.blocks[block]?.span, span.range.contains(position) { return .blockActive }
        if let cached = canvas.cachedRange, cached.range.contains(position) { return .cached }
        return .none
    }

    /// First row to show so that the cursor (or else the first masked position) is in view.
    static func scrollOffset(pieces: [Piece], rows: Int, height: Int, focus: Int?) -> Int {
        guard rows > height, height > 0 else { return 0 }
        let focusRow = focus.flatMap { f in pieces.first { $0.position == f }?.row } ?? 0
        return min(max(0, focusRow - height / 3), rows - height)
    }

    /// WINO's shadow-block verifications in the viewed step, if any: one strip under the canvas.
    func verifications() -> [Verification] {
        guard frame.step > 0 else { return [] }
        return frame.lane.replay.steps[frame.step - 1].events.flatMap { event -> [Verification] in
            if case .verify(let v) = event { return v }
            return []
        }
    }

    func draw(into screen: inout Screen, x: Int, y: Int, width: Int, height: Int) {
        guard width > 0, height > 0 else { return }
        let verified = verifications()
        if !verified.isEmpty, height > 2 {
            drawVerifyStrip(verified, into: &screen, x: x, y: y + height - 1, width: width)
            drawTokens(into: &screen, x: x, y: y, width: width, height: height - 1)
        } else {
            drawTokens(into: &screen, x: x, y: y, width: width, height: height)
        }
    }

    private func drawVerifyStrip(_ verified: [Verification], into screen: inout Screen, x: Int, y: Int, width: Int) {
        var column = screen.put("shadow ", x: x, y: y, foreground: .muted, limit: x + width)
        for v in verified {
            let cell = frame.canvas.cells[v.position]
            let id = cell.state == .masked ? cell.replacedToken ?? cell.token : cell.token  // a failed draft was remasked
            let token = TokenDisplay.sanitize(frame.text(of: id)).text
            column = screen.put((v.passed ? "✓" : "✗") + token + " " + Format.number(v.score) + "  ", x: column, y: y,
                                foreground: v.passed ? .drafted : .remasked, limit: x + width)
        }
    }

    private func drawTokens(into screen: inout Screen, x: Int, y: Int, width: Int, height: Int) {
        let (pieces, rows) = layout(width: width)
        let focus = cursor ?? frame.canvas.maskedPositions.first ?? frame.canvas.touchedThisStep.min()
        let offset = Self.scrollOffset(pieces: pieces, rows: rows, height: height, focus: focus)
        for piece in pieces where piece.row >= offset && piece.row < offset + height {
            screen.put(piece.text, x: x + piece.column, y: y + piece.row - offset, foreground: piece.foreground,
                       background: background(piece.position), limit: x + width)
        }
    }

    /// The position one row above or below `position` (nearest column), for cursor movement.
    func position(from position: Int, rowDelta: Int, width: Int) -> Int {
        let (pieces, _) = layout(width: width)
        guard let current = pieces.first(where: { $0.position == position }) else { return position }
        let targetRow = current.row + rowDelta
        let candidates = pieces.filter { $0.row == targetRow }
        guard let best = candidates.min(by: { abs($0.column - current.column) < abs($1.column - current.column) }) else {
            return position
        }
        return best.position
    }
}
