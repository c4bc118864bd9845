/// A `Screen` as ANSI escape text (256-colour SGR), for .cast export and tests of the colour
/// mapping. Emits a style change only where the style changes.
public enum AnsiFrame {
    public static let hideCursor = "\u{1B}[?25l"
    public static let showCursor = "\u{1B}[?25h"
    public static let clear = "\u{1B}[2J"

    public static func encode(_ screen: Screen, theme: Theme, colors: Int = 256) -> String {
        var out = ""
        for y in 0..<screen.height {
            out += "\u{1B}[\(y + 1);1H"
            var current: String?
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.isContinuation { continue }
                let style = sgr(cell, theme: theme, colors: colors)
                if style != current {
                    out += style
                    current = style
                }
                out += cell.text
            }
        }
        return out + "\u{1B}[0m"
    }

    static func sgr(_ cell: Screen.Cell, theme: Theme, colors: Int) -> String {
        var codes = ["0"]
        if Theme.boldRoles.contains(cell.foreground) { codes.append("1") }
        let foreground = theme.foreground(cell.foreground).paletteIndex(colors: colors)
        if foreground >= 0 { codes.append("38;5;\(foreground)") }
        let background = theme.background(cell.background).paletteIndex(colors: colors)
        if background >= 0 { codes.append("48;5;\(background)") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
