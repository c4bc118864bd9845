/// A key as the UI sees it, independent of the terminal library.
public enum KeyPress: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown, enter, escape, backspace, tab, resize

    /// How the help overlay and the README name the key.
    public var label: String {
        switch self {
        case .character(" "): "space"
        case .character(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .resize: "(resize)"
        }
    }
}

/// Everything a key can do.
public enum Action: String, CaseIterable, Sendable {
    case togglePause, stepForward, stepBack, jumpForward, jumpBack, firstStep, lastStep, speedUp, speedDown
    case cursorLeft, cursorRight, cursorUp, cursorDown
    case nextParameter, decreaseParameter, increaseParameter
    case switchDecoder, editPrompt, restart, branch, saveRecording, exportCast
    case toggleGhosts, toggleOrder, toggleHistogram, toggleInspector, toggleHelp, quit

    /// Actions that need a live decode (a model), not a recording.
    public var isLiveOnly: Bool {
        switch self {
        case .decreaseParameter, .increaseParameter, .switchDecoder, .editPrompt, .restart, .branch: true
        default: false
        }
    }
}

/// The one table of key bindings: it drives the key handler, the help overlay and the README key
/// table (a test keeps the README in step with it).
public struct KeyMap: Sendable {
    public struct Binding: Sendable {
        public let keys: [KeyPress]
        public let action: Action
        public let description: String
    }

    public let bindings: [Binding]

    public static let standard = KeyMap(bindings: [
        Binding(keys: [.character(" ")], action: .togglePause, description: "pause / resume"),
        Binding(keys: [.character(".")], action: .stepForward, description: "single step forward (pauses)"),
        Binding(keys: [.character(",")], action: .stepBack, description: "single step back (pauses)"),
        Binding(keys: [.pageDown], action: .jumpForward, description: "jump 10 steps forward"),
        Binding(keys: [.pageUp], action: .jumpBack, description: "jump 10 steps back"),
        Binding(keys: [.home, .character("g")], action: .firstStep, description: "go to the first step"),
        Binding(keys: [.end, .character("G")], action: .lastStep, description: "latest step, then follow"),
        Binding(keys: [.character("+")], action: .speedUp, description: "faster playback"),
        Binding(keys: [.character("-")], action: .speedDown, description: "slower playback"),
        Binding(keys: [.left, .character("h")], action: .cursorLeft, description: "inspector cursor left"),
        Binding(keys: [.right, .character("l")], action: .cursorRight, description: "inspector cursor right"),
        Binding(keys: [.up, .character("k")], action: .cursorUp, description: "inspector cursor up a row"),
        Binding(keys: [.down, .character("j")], action: .cursorDown, description: "inspector cursor down a row"),
        Binding(keys: [.tab], action: .nextParameter, description: "next parameter + its timing"),
        Binding(keys: [.character("[")], action: .decreaseParameter, description: "parameter down (s/b/r tag)"),
        Binding(keys: [.character("]")], action: .increaseParameter, description: "parameter up (s/b/r tag)"),
        Binding(keys: [.character("d")], action: .switchDecoder, description: "switch decoder"),
        Binding(keys: [.character("e")], action: .editPrompt, description: "edit the prompt"),
        Binding(keys: [.character("r")], action: .restart, description: "restart with a new seed"),
        Binding(keys: [.character("b")], action: .branch, description: "branch from the step shown"),
        Binding(keys: [.character("s")], action: .saveRecording, description: "save the trajectory so far"),
        Binding(keys: [.character("x")], action: .exportCast, description: "export an asciinema .cast"),
        Binding(keys: [.character("t")], action: .toggleGhosts, description: "show ghost top-1 predictions"),
        Binding(keys: [.character("o")], action: .toggleOrder, description: "decode order: the step of each commit"),
        Binding(keys: [.character("m")], action: .toggleHistogram, description: "histogram: confidence/entropy"),
        Binding(keys: [.character("i")], action: .toggleInspector, description: "compare: stats ↔ inspector"),
        Binding(keys: [.character("?")], action: .toggleHelp, description: "this help"),
        Binding(keys: [.character("q"), .escape], action: .quit, description: "quit (Esc closes help first)"),
    ])

    public func action(for key: KeyPress) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// Keys bound more than once (must be empty).
    public var duplicateKeys: [KeyPress] {
        var seen: Set<KeyPress> = []
        var duplicates: [KeyPress] = []
        for key in bindings.flatMap(\.keys) where !seen.insert(key).inserted { duplicates.append(key) }
        return duplicates
    }

    /// "space", "Home / g": the keys of a binding as one label.
    public static func label(_ binding: Binding) -> String {
        binding.keys.map(\.label).joined(separator: " / ")
    }

    /// The README key table (Markdown).
    public var markdownTable: String {
        var lines = ["| key | action |", "|---|---|"]
        for binding in bindings {
            let keys = binding.keys.map { "`\($0.label == "|" ? "\\|" : $0.label)`" }.joined(separator: " ")
            let live = binding.action.isLiveOnly ? " (live play only)" : ""
            lines.append("| \(keys) | \(binding.description)\(live) |")
        }
        return lines.joined(separator: "\n")
    }
}
