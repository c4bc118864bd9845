/// What a screen cell shows, not how: the theme turns roles into colours. Each role has a one-letter
/// code for the style layer of snapshot tests. Foreground and background roles share the enum;
/// `none` is "no background of its own".
public enum StyleRole: String, CaseIterable, Sendable {
    case none
    // Foregrounds.
    case text, muted, title, border, prompt, mask, ghost
    case committed0, committed1, committed2, committed3, committed4
    case remasked, drafted, forced, replaced, status, key, selected, value, sparkline, histogram, warning, help
    // Backgrounds.
    case fresh, blockActive, cached, cursor, statusBar, titleBar, helpBox, selectedRow

    /// Number of steps in the committed-confidence gradient.
    public static let gradientSteps = 5

    /// The gradient role for a confidence in [0, 1].
    public static func committed(confidence: Double?) -> StyleRole {
        guard let confidence, confidence.isFinite else { return .committed0 }
        let index = Int(clamping: confidence * Double(gradientSteps), to: 0...(gradientSteps - 1))
        return [.committed0, .committed1, .committed2, .committed3, .committed4][index]
    }

    public var code: Character {
        switch self {
        case .none: "."
        case .text: "t"
        case .muted: "m"
        case .title: "T"
        case .border: "b"
        case .prompt: "p"
        case .mask: "M"
        case .ghost: "g"
        case .committed0: "0"
        case .committed1: "1"
        case .committed2: "2"
        case .committed3: "3"
        case .committed4: "4"
        case .remasked: "r"
        case .drafted: "d"
        case .forced: "f"
        case .replaced: "x"
        case .status: "s"
        case .key: "k"
        case .selected: "S"
        case .value: "v"
        case .sparkline: "l"
        case .histogram: "h"
        case .warning: "w"
        case .help: "H"
        case .fresh: "F"
        case .blockActive: "B"
        case .cached: "C"
        case .cursor: "U"
        case .statusBar: "="
        case .titleBar: "^"
        case .helpBox: "#"
        case .selectedRow: "*"
        }
    }
}
