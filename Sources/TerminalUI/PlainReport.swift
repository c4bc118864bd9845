import Recording

/// Output without a terminal (`--plain`, pipes, CI): one line per step, then the final text.
/// Every text taken from a file goes through `printable` before it reaches the terminal, so a
/// trajectory cannot send escape sequences (as in the TUI, which sanitizes each cell).
public enum PlainReport {
    /// The first line of a plain replay: decoder, model, seed and prompt.
    public static func heading(_ header: TrajectoryHeader) -> String {
        printable("\(header.decoder) on \(header.model.name), seed \(header.seed), prompt: \(oneLine(header.promptText))")
    }

    /// `text` without control characters: C0 (except newline and tab), DEL and C1 become "�", so
    /// no escape sequence survives.
    public static func printable(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isControl = (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
            scalars.append(isControl ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// Newlines shown as "↵" so a text stays on one line.
    public static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "↵").replacingOccurrences(of: "\n", with: "↵")
    }

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
        printable(rawAnswer(replay))
    }

    private static func rawAnswer(_ replay: Replay) -> String {
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
        return printable("\(replay.count) steps, NFE \(canvas.forwardCount), not finished" + (replay.note.map { " (\(oneLine($0)))" } ?? ""))
    }
}
