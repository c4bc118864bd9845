/// Colours for semantic roles, plus the mask glyph. The built-in default defines every valid key
/// (btop's rule: the default map is the schema); theme files override some of them.
public struct Theme: Equatable, Sendable {
    public struct Key: Sendable {
        public let name: String
        public let comment: String
        public let defaultValue: String
    }

    public var name: String
    /// Values by key; always holds every key of `Theme.schema`.
    public private(set) var values: [String: String]

    public static let schema: [Key] = [
        Key(name: "main_bg", comment: "Background of the whole window", defaultValue: "default"),
        Key(name: "text_fg", comment: "Ordinary text", defaultValue: "#D8DEE9"),
        Key(name: "muted_fg", comment: "Labels and secondary text", defaultValue: "#7A8496"),
        Key(name: "title_fg", comment: "Pane titles", defaultValue: "#88C0D0"),
        Key(name: "title_bg", comment: "Title bar background", defaultValue: "#2E3440"),
        Key(name: "border_fg", comment: "Pane borders and rules", defaultValue: "#4C566A"),
        Key(name: "prompt_fg", comment: "Prompt tokens (dimmed)", defaultValue: "#6B7385"),
        Key(name: "mask_fg", comment: "Masked positions", defaultValue: "#5A6272"),
        Key(name: "ghost_fg", comment: "Ghost top-1 prediction inside a masked position", defaultValue: "#9484B8"),
        Key(name: "confidence_start", comment: "Committed token, lowest confidence", defaultValue: "#E06C75"),
        Key(name: "confidence_mid", comment: "Committed token, middle confidence", defaultValue: "#E5C07B"),
        Key(name: "confidence_end", comment: "Committed token, highest confidence", defaultValue: "#98C379"),
        Key(name: "fresh_bg", comment: "Tokens committed in this step", defaultValue: "#4B4A1E"),
        Key(name: "remasked_fg", comment: "A token sent back to mask in this step (flash)", defaultValue: "#FF5F87"),
        Key(name: "drafted_fg", comment: "WINO draft: committed but revokable", defaultValue: "#61AFEF"),
        Key(name: "forced_fg", comment: "Force-filled tokens (early commit, EOS fill)", defaultValue: "#D19A66"),
        Key(name: "replaced_fg", comment: "The token a remask or force-fill replaced", defaultValue: "#BE5046"),
        Key(name: "block_active_bg", comment: "Background of the active block", defaultValue: "#252B37"),
        Key(name: "cached_bg", comment: "Positions whose K/V the cache holds (dimmed)", defaultValue: "#1B1E25"),
        Key(name: "cursor_bg", comment: "The inspector cursor", defaultValue: "#5E81AC"),
        Key(name: "status_fg", comment: "Status line text", defaultValue: "#ECEFF4"),
        Key(name: "status_bg", comment: "Status line and timeline background", defaultValue: "#3B4252"),
        Key(name: "key_fg", comment: "Key names in hints and help", defaultValue: "#EBCB8B"),
        Key(name: "selected_fg", comment: "The selected parameter", defaultValue: "#88C0D0"),
        Key(name: "selected_bg", comment: "Background of the selected parameter", defaultValue: "#434C5E"),
        Key(name: "value_fg", comment: "Numbers in the stats pane", defaultValue: "#ECEFF4"),
        Key(name: "sparkline_fg", comment: "Commits-per-step sparkline", defaultValue: "#88C0D0"),
        Key(name: "histogram_fg", comment: "Confidence / entropy histogram bars", defaultValue: "#B48EAD"),
        Key(name: "warning_fg", comment: "Notes and warnings", defaultValue: "#EBCB8B"),
        Key(name: "help_fg", comment: "Help overlay text", defaultValue: "#ECEFF4"),
        Key(name: "help_bg", comment: "Help overlay background", defaultValue: "#2E3440"),
        Key(name: "mask_glyph", comment: "Glyph drawn for a masked position (one column)", defaultValue: "░"),
    ]

    public static let builtIn = Theme(name: "default", values: Dictionary(uniqueKeysWithValues: schema.map { ($0.name, $0.defaultValue) }))

    init(name: String, values: [String: String]) {
        self.name = name
        self.values = values
    }

    /// Sets a key; false if the key is unknown or the value invalid for it.
    public mutating func set(_ key: String, _ value: String) -> Bool {
        guard Self.schema.contains(where: { $0.name == key }) else { return false }
        if key == "mask_glyph" {
            guard let glyph = value.first, value.count == 1, DisplayWidth.of(glyph) == 1 else { return false }
        } else if ThemeColor(parsing: value) == nil {
            return false
        }
        values[key] = value
        return true
    }

    public var maskGlyph: String { values["mask_glyph"] ?? "░" }

    public func color(_ key: String) -> ThemeColor {
        values[key].flatMap(ThemeColor.init(parsing:)) ?? .terminalDefault
    }

    /// The colour of a role used as a foreground.
    public func foreground(_ role: StyleRole) -> ThemeColor {
        switch role {
        case .committed0, .committed1, .committed2, .committed3, .committed4:
            let index = Double(["committed0", "committed1", "committed2", "committed3", "committed4"].firstIndex(of: role.rawValue)!)
            let t = index / Double(StyleRole.gradientSteps - 1)
            return t <= 0.5 ? ThemeColor.mix(color("confidence_start"), color("confidence_mid"), t * 2)
                : ThemeColor.mix(color("confidence_mid"), color("confidence_end"), (t - 0.5) * 2)
        default:
            return color(Self.foregroundKey(role))
        }
    }

    /// The colour of a role used as a background (`none`: the main background).
    public func background(_ role: StyleRole) -> ThemeColor {
        color(Self.backgroundKey(role))
    }

    static func foregroundKey(_ role: StyleRole) -> String {
        switch role {
        case .none, .text: "text_fg"
        case .muted: "muted_fg"
        case .title: "title_fg"
        case .border: "border_fg"
        case .prompt: "prompt_fg"
        case .mask: "mask_fg"
        case .ghost: "ghost_fg"
        case .remasked: "remasked_fg"
        case .drafted: "drafted_fg"
        case .forced: "forced_fg"
        case .replaced: "replaced_fg"
        case .status: "status_fg"
        case .key: "key_fg"
        case .selected: "selected_fg"
        case .value: "value_fg"
        case .sparkline: "sparkline_fg"
        case .histogram: "histogram_fg"
        case .warning: "warning_fg"
        case .help: "help_fg"
        case .committed0, .committed1, .committed2, .committed3, .committed4: "confidence_mid"
        case .fresh, .blockActive, .cached, .cursor, .statusBar, .titleBar, .helpBox, .selectedRow: "text_fg"
        }
    }

    static func backgroundKey(_ role: StyleRole) -> String {
        switch role {
        case .fresh: "fresh_bg"
        case .blockActive: "block_active_bg"
        case .cached: "cached_bg"
        case .cursor: "cursor_bg"
        case .statusBar: "status_bg"
        case .titleBar: "title_bg"
        case .helpBox: "help_bg"
        case .selectedRow: "selected_bg"
        default: "main_bg"
        }
    }

    /// Roles drawn bold.
    public static let boldRoles: Set<StyleRole> = [.title, .key, .selected, .remasked, .warning]
}
