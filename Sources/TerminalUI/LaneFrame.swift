import Recording

/// What one lane looks like at the viewed step: the rebuilt canvas and the numbers derived from it.
struct LaneFrame {
    let lane: Lane
    let canvas: Canvas
    /// Steps applied (the viewed step, clamped to this lane).
    let step: Int
    let milliseconds: Double

    init(lane: Lane, viewedStep: Int) {
        self.lane = lane
        step = min(max(0, viewedStep), lane.replay.count)
        canvas = lane.replay.canvas(afterSteps: step)
        milliseconds = lane.replay.milliseconds(afterSteps: step)
    }

    var header: TrajectoryHeader { lane.replay.header }
    var nfe: Int { canvas.forwardCount }

    /// Answer tokens written so far, up to the first stop token.
    var usefulTokens: Int {
        let stops = Set(header.stopTokenIDs)
        var count = 0
        for position in canvas.answerRange {
            let cell = canvas.cells[position]
            if cell.state == .masked { continue }
            if stops.contains(cell.token) { break }
            count += 1
        }
        return count
    }

    var tokensPerForward: Double { nfe > 0 ? Double(usefulTokens) / Double(nfe) : 0 }
    var tokensPerSecond: Double { milliseconds > 0 ? Double(usefulTokens) / (milliseconds / 1000) : 0 }

    func text(of token: Int) -> String {
        if token == header.maskTokenID { return "<mask>" }
        return lane.replay.text(of: token) ?? "⟨\(token)⟩"
    }
}

/// Token text as it can be drawn: control characters made visible; a newline also ends the row.
enum TokenDisplay {
    static func sanitize(_ text: String) -> (text: String, breaksLine: Bool) {
        if text.isEmpty { return ("∅", false) }
        var out = ""
        var breaks = false
        for character in text {
            switch character {
            case "\n", "\r\n": out += "↵"; breaks = true
            case "\r": out += "␍"
            case "\t": out += "⇥"
            default:
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "�"
                } else {
                    out.append(character)
                }
            }
        }
        return (out, breaks)
    }

    /// A short quoted form for the inspector: "␣the" style spaces kept visible.
    static func quoted(_ text: String) -> String {
        "\"" + sanitize(text).text + "\""
    }
}

/// Formatting helpers shared by the panes.
enum Format {
    static func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        let scale = pow10(digits)
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
            if digits == 0 { text = String(text[..<dot]) }
        }
        return text
    }

    /// Whole percent; total over all Doubles ("–" for NaN, clamped far outside [0, 1]).
    static func percent(_ value: Double) -> String {
        guard !value.isNaN else { return "–" }
        return "\(Int(clamping: (value * 100).rounded(), to: -999_999...999_999))%"
    }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    /// Pads or cuts `text` to exactly `width` columns.
    static func fit(_ text: String, _ width: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width { break }
            out.append(character)
            used += w
        }
        return out + String(repeating: " ", count: max(0, width - used))
    }
}
