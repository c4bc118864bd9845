import CNcurses
import Foundation

/// The only code that talks to ncurses: start and restore the terminal, map theme colours to
/// colour pairs, copy a `Screen` to the terminal, and read keys. Owned by the executable's
/// command for the length of one UI session; `close()` (also run on deinit) restores the terminal.
/// SIGINT and SIGTERM set a flag (the shim's one piece of process-wide state) that the run loop
/// takes between key polls; a crash signal leaves curses mode before the process dies.
public final class NcursesBackend: TerminalBackend {
    private let theme: Theme
    private let colorCount: Int
    private var pairs: [PairKey: Int16] = [:]
    private var isOpen = true

    private struct PairKey: Hashable { let foreground: Int; let background: Int }

    /// Starts curses mode. `useColor` false (NO_COLOR) draws with no colour pairs at all.
    public init(theme: Theme, useColor: Bool) {
        self.theme = theme
        dp_install_signal_handlers()
        dp_install_crash_handlers()
        dp_capture_stderr()
        setlocale(LC_ALL, "")
        if isatty(STDIN_FILENO) != 0 {
            initscr()
        } else if let input = fopen("/dev/tty", "r"), let output = fdopen(STDOUT_FILENO, "w"), let screen = newterm(nil, output, input) {
            // Standard input carries a trajectory (`replay -`): keys come from the terminal itself.
            set_term(screen)
        } else {
            initscr()
        }
        cbreak()
        noecho()
        nonl()
        _ = dp_keypad(1)
        curs_set(0)
        set_escdelay(25)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(dp_colors())
        } else {
            colorCount = 0
        }
    }

    deinit { close() }

    /// Leaves curses mode: the alternate screen is left, the cursor and echo come back.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        dp_release_stderr()
    }

    public var size: TerminalSize { TerminalSize(columns: Int(dp_cols()), rows: Int(dp_lines())) }

    public func takeSignal() -> Int32? {
        let signal = dp_take_signal()
        return signal == 0 ? nil : signal
    }

    public func draw(_ screen: Screen) {
        _ = dp_erase()
        let rows = min(screen.height, Int(dp_lines())), columns = min(screen.width, Int(dp_cols()))
        for y in 0..<rows {
            for x in 0..<columns {
                let cell = screen[x, y]
                if cell.isContinuation { continue }
                let bold = Theme.boldRoles.contains(cell.foreground)
                _ = dp_attr_set(bold ? dp_attr_bold() : dp_attr_normal(), Int32(pair(for: cell)))
                _ = cell.text.withCString { dp_put(Int32(y), Int32(x), $0) }
            }
        }
        _ = dp_attr_set(dp_attr_normal(), 0)
        _ = dp_refresh()
    }

    private func pair(for cell: Screen.Cell) -> Int16 {
        guard colorCount > 0 else { return 0 }
        let background = cell.background == .none ? theme.background(.none) : theme.background(cell.background)
        let key = PairKey(foreground: theme.foreground(cell.foreground).paletteIndex(colors: colorCount),
                          background: background.paletteIndex(colors: colorCount))
        if let existing = pairs[key] { return existing }
        let next = pairs.count + 1
        guard next < min(Int(dp_color_pairs()), Int(Int16.max)) else { return 0 }
        init_pair(Int16(next), Int16(key.foreground), Int16(key.background))
        pairs[key] = Int16(next)
        return Int16(next)
    }

    public func readKey(timeoutMilliseconds: Int) -> KeyPress? {
        dp_timeout(Int32(timeoutMilliseconds))
        let code = dp_getch()
        if code == dp_err() { return nil }
        return Self.key(for: code, next: { dp_timeout(0); let c = dp_getch(); return c == dp_err() ? nil : c })
    }

    /// Maps a curses key code (and, for UTF-8 lead bytes, the bytes after it) to a `KeyPress`.
    static func key(for code: Int32, next: () -> Int32?) -> KeyPress? {
        switch code {
        case dp_key_up(): return .up
        case dp_key_down(): return .down
        case dp_key_left(): return .left
        case dp_key_right(): return .right
        case dp_key_home(): return .home
        case dp_key_end(): return .end
        case dp_key_ppage(): return .pageUp
        case dp_key_npage(): return .pageDown
        case dp_key_resize(): return .resize
        case dp_key_backspace(), 127, 8: return .backspace
        case dp_key_enter(), 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        default: break
        }
        guard code >= 0, code < 256 else { return nil }
        // Assemble a UTF-8 character from its bytes.
        let lead = UInt8(code)
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0 else { return nil }
        var bytes = [lead]
        while bytes.count < length, let more = next(), more >= 0, more < 256 { bytes.append(UInt8(more)) }
        guard let text = String(validating: bytes, as: UTF8.self), let character = text.first else { return nil }
        return .character(character)
    }
}
