/// Text placed into the markup we write (SVG stills, SVG plots, the HTML player): one escaping rule
/// for every exporter, so a prompt or label can never break out of an element or attribute.
public enum MarkupText {
    /// XML/HTML text and attribute values: markup characters escaped, control characters dropped
    /// (XML 1.0 forbids most of C0, and C1 controls render as garbage).
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
