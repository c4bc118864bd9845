import Recording

/// The position under the cursor: its state, top-k candidates, and its history up to the viewed step.
struct InspectorPane {
    let frame: LaneFrame
    let position: Int?

    struct Entry: Equatable {
        let step: Int
        let text: String
    }

    /// Everything that happened at `position` in the first `steps` steps: predictions (when the
    /// top-1 changed), commits, drafts, verifications, remasks and force-fills.
    static func history(of position: Int, in frame: LaneFrame) -> [Entry] {
        var entries: [Entry] = []
        var lastTop: Int?
        for record in frame.lane.replay.steps.prefix(frame.step) {
            for event in record.events {
                switch event {
                case .predict(let predictions):
                    for p in predictions where p.position == position {
                        guard let top = p.tokens.first, top != lastTop else { continue }
                        lastTop = top
                        let probability = p.probabilities.first.map { " " + Format.percent($0) } ?? ""
                        entries.append(Entry(step: record.step, text: "predicted \(TokenDisplay.quoted(frame.text(of: top)))\(probability)"))
                    }
                case .commit(let commits), .draft(let commits), .forceFill(let commits):
                    let verb = switch event.kind { case .draft: "drafted"; case .forceFill: "force-filled"; default: "committed" }
                    for c in commits where c.position == position {
                        entries.append(Entry(step: record.step,
                                             text: "\(verb) \(TokenDisplay.quoted(frame.text(of: c.token))) \(Format.percent(c.confidence)) by \(c.reason.rawValue)"))
                    }
                case .verify(let verifications):
                    for v in verifications where v.position == position {
                        entries.append(Entry(step: record.step, text: "verified \(Format.number(v.score)) \(v.passed ? "pass" : "fail")"))
                    }
                case .remask(let remasks):
                    for r in remasks where r.position == position {
                        entries.append(Entry(step: record.step, text: "remasked \(TokenDisplay.quoted(frame.text(of: r.oldToken))) (score \(Format.number(r.score)))"))
                        lastTop = nil
                    }
                default:
                    break
                }
            }
        }
        return entries
    }

    /// Flows styled pieces over rows of `width` columns, breaking between pieces.
    static func flow(_ pieces: [(String, StyleRole)], width: Int, maxRows: Int) -> [[(String, StyleRole)]] {
        var rows: [[(String, StyleRole)]] = [[]]
        var used = 0
        for piece in pieces {
            let w = DisplayWidth.of(piece.0)
            if used + w > width, used > 0, rows.count < maxRows {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(piece)
            used += w
        }
        return rows
    }

    func draw(into screen: inout Screen, x: Int, y: Int, width: Int, height: Int) {
        guard height > 0 else { return }
        let canvas = frame.canvas
        guard let position, position < canvas.count else {
            screen.put("move the cursor (← → ↑ ↓) to inspect a position", x: x, y: y, foreground: .muted, limit: x + width)
            return
        }
        let cell = canvas.cells[position]
        var facts: [(String, StyleRole)] = []
        let answerIndex = position >= canvas.promptLength ? "answer #\(position - canvas.promptLength + 1)" : "prompt"
        facts.append(("pos \(position) · \(answerIndex) · ", .muted))
        facts.append((cell.state.rawValue, .title))
        if cell.state != .masked { facts.append((" " + TokenDisplay.quoted(frame.text(of: cell.token)), .value)) }
        if let c = cell.confidence { facts.append((" · conf \(Format.percent(c))", .value)) }
        if let e = cell.entropy ?? cell.prediction?.entropy { facts.append((" · H \(Format.number(e))", .value)) }
        if let reason = cell.reason, cell.state != .masked { facts.append((" · by \(reason.rawValue)", .muted)) }
        if let step = cell.changedAtStep { facts.append((" · at step \(step)", .muted)) }
        if let v = cell.verification { facts.append((" · verify \(Format.number(v.score)) \(v.passed ? "pass" : "fail")", v.passed ? .value : .remasked)) }
        if let replaced = cell.replacedToken { facts.append((" · replaced \(TokenDisplay.quoted(frame.text(of: replaced)))", .replaced)) }
        // Gauges about this position (R²'s stability streaks, for example).
        for name in canvas.gauges.keys.sorted() {
            guard let gauge = canvas.gauges[name], gauge.positions?.contains(position) == true else { continue }
            func text(_ v: Double) -> String { Format.number(v, digits: v == v.rounded() ? 0 : 2) }
            let against = gauge.threshold.map { "/" + text($0) } ?? ""
            facts.append((" · \(name) \(text(gauge.value))\(against)", .value))
        }
        var rows = Self.flow(facts, width: width, maxRows: 2)
        if let p = cell.prediction {
            var topk: [(String, StyleRole)] = [("top-k ", .muted)]
            for (token, probability) in zip(p.tokens, p.probabilities) {
                topk.append((TokenDisplay.quoted(frame.text(of: token)), .ghost))
                topk.append((" \(Format.percent(probability))  ", .value))
            }
            rows.append(topk)
        } else {
            rows.append([("top-k ", .muted), ("no prediction recorded", .muted)])
        }
        // History, newest last, wrapped over the remaining rows (oldest dropped first).
        let entries = Self.history(of: position, in: frame).map { "s\($0.step) \($0.text)" }
        let historyRows = max(0, height - rows.count)
        var wrapped: [String] = []
        var current = "history: "
        for entry in entries {
            let piece = (current == "history: " || current.isEmpty ? "" : " · ") + entry
            if DisplayWidth.of(current + piece) > width, current != "history: ", !current.isEmpty {
                wrapped.append(current)
                current = entry
            } else {
                current += piece
            }
        }
        if entries.isEmpty { current += "nothing yet" }
        wrapped.append(current)
        for line in wrapped.suffix(historyRows) { rows.append([(line, .text)]) }
        for (index, row) in rows.prefix(height).enumerated() {
            var column = x
            for (text, role) in row { column = screen.put(text, x: column, y: y + index, foreground: role, limit: x + width) }
        }
    }
}
