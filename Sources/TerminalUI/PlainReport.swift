import Recording

/// Output without a terminal (`--plain`, pipes, CI): one line per step, then the final text.
public enum PlainReport {
    public static func line(for step: StepRecord, canvas: Canvas) -> String {
        var parts = ["step \(step.step)", "nfe \(canvas.forwardCount)"]
        if let forward = canvas.lastForward {
            parts.append("\(forward.mode.rawValue) [\(forward.window.lower),\(forward.window.upper))")
        }
        parts.append("+\(canvas.commitsPerStep.last ?? 0)")
        let remasks = step.events.reduce(0) { count, event in
            if case .remask(let r) = event { return count + r.count }
            return count
        }
        if remasks > 0 { parts.append("-\(remasks) remasked") }
        parts.append("masks \(canvas.maskedCount)")
        parts.append("\(Format.number(step.milliseconds, digits: 1)) ms")
        return parts.joined(separator: "  ")
    }

    /// The answer as text: the end record's, or the committed tokens up to the first stop token.
    public static func answer(_ replay: Replay) -> String {
        if let text = replay.end?.answerText { return text }
        let canvas = replay.latest
        let stops = Set(replay.header.stopTokenIDs)
        var text = ""
        for position in canvas.answerRange {
            let cell = canvas.cells[position]
            if cell.state == .masked { text += "_"; continue }
            if stops.contains(cell.token) { break }
            text += replay.text(of: cell.token) ?? "⟨\(cell.token)⟩"
        }
        return text
    }

    public static func summary(_ replay: Replay) -> String {
        let canvas = replay.latest
        if let end = replay.end {
            let line = "\(end.reason.rawValue): \(end.steps) steps, NFE \(end.nfe), TPF \(Format.number(end.tokensPerForward)), \(Format.number(end.seconds)) s"
            // An error end says why, on the same line (the decode stopped; it did not finish).
            return end.message.map { line + " — stopped: \($0)" } ?? line
        }
        return "\(replay.count) steps, NFE \(canvas.forwardCount), not finished" + (replay.note.map { " (\($0))" } ?? "")
    }
}
