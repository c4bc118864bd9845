/// Printable forms of single tokens, for the canvas and the `tokenize` command.
extension Tokenizer {
    /// The text of one token as it can be drawn in one place on screen: its bytes decoded, with
    /// each invalid or unfinished UTF-8 run shown as "�", line breaks and tabs as visible marks
    /// (↵ ⇥ ␍), other control and layout-changing characters as `<U+XXXX>`, and a combining
    /// mark at the start drawn on a dotted circle. Special tokens show as written; ids the
    /// tokenizer does not know show as `<id?>`.
    public func displayPiece(for id: Int) -> String {
        guard let piece = piece(for: id) else { return "<\(id)?>" }
        if addedIDs.contains(id) { return piece }
        return Self.visible(String(decoding: bytes(for: [id], skipSpecialTokens: false), as: UTF8.self))
    }

    static func visible(_ text: String) -> String {
        var result = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == 0, isCombining(scalar) { result += "\u{25CC}" }
            switch scalar {
            case "\n": result += "↵"
            case "\t": result += "⇥"
            case "\r": result += "␍"
            case " ": result += " "
            default:
                if needsEscape(scalar) {
                    result += "<U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ">"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Controls, separators other than the plain space, and bidirectional controls, which would
    /// move or hide neighbouring cells in a terminal.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .spaceSeparator: return true
        default: return false
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
