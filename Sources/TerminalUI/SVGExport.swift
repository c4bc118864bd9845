import Foundation
import Recording

/// A `Screen` as a standalone SVG image: one background rectangle per run of equal background in a
/// row, one `<text>` per word placed at its column (so columns stay aligned in
/// any monospace font), theme colours as hex. No scripts, fonts or external references,
/// so it embeds in papers and slides and converts with `rsvg-convert`. `legend` adds a row of
/// swatches under the frame naming the roles a reader needs (mask, confidence gradient, fresh,
/// remasked, drafted, forced, cached).
public enum SVGExport {
    /// Cell size in SVG units for a 14-unit monospace font.
    static let cellWidth = 8.4, cellHeight = 17.0, fontSize = 14.0

    /// The replay at `step` (default: the last), rendered at `size` as it appears in the playground
    /// (with `showOrder`, as it appears with the decode-order map on).
    public static func still(lanes: [Replay], label: String, theme: Theme, size: TerminalSize, step: Int? = nil,
                             showGhosts: Bool = false, showOrder: Bool = false, legend: Bool = false) -> String {
        var playground = CastExport.replayPlayground(lanes: lanes, label: label)
        let total = playground.state.totalSteps
        let shown = min(max(0, step ?? total), total)
        playground.state.viewedStep = shown
        playground.state.following = shown == total
        playground.state.playing = false
        playground.state.showGhosts = showGhosts
        // The decode-order map, as the playground's `o` draws it: each written position as its step.
        playground.state.showOrder = showOrder
        return svg(render(playground.state, theme: theme, size: size), theme: theme, title: "dllm-play · \(label) · step \(shown)",
                   legend: legend)
    }

    public static func svg(_ screen: Screen, theme: Theme, title: String, legend: Bool = false) -> String {
        let legendHeight = legend ? 2 * cellHeight : 0
        let width = Double(screen.width) * cellWidth, height = Double(screen.height) * cellHeight + legendHeight
        let page = hex(theme.background(.none), fallback: "#1c1c1c")
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(number(width))" height="\(number(height))" \
        viewBox="0 0 \(number(width)) \(number(height))" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" \
        font-size="\(number(fontSize))">
        <title>\(escape(title))</title>
        <rect width="100%" height="100%" fill="\(page)"/>

        """
        for y in 0..<screen.height {
            out += backgrounds(screen, row: y, theme: theme, page: page)
            out += texts(screen, row: y, theme: theme)
        }
        if legend { out += legendRow(theme, top: Double(screen.height) * cellHeight + 4) }
        return out + "</svg>\n"
    }

    private static func backgrounds(_ screen: Screen, row y: Int, theme: Theme, page: String) -> String {
        var out = "", x = 0
        while x < screen.width {
            let fill = hex(theme.background(screen[x, y].background), fallback: page)
            var end = x + 1
            while end < screen.width && hex(theme.background(screen[end, y].background), fallback: page) == fill { end += 1 }
            if fill != page {
                out += "<rect x=\"\(number(Double(x) * cellWidth))\" y=\"\(number(Double(y) * cellHeight))\" "
                    + "width=\"\(number(Double(end - x) * cellWidth))\" height=\"\(number(cellHeight))\" fill=\"\(fill)\"/>\n"
            }
            x = end
        }
        return out
    }

    /// One `<text>` per word (a run of non-blank cells with one foreground role), placed at its
    /// first column: renderers differ on per-glyph x lists, but all place a word start exactly, and
    /// a word is short enough that a font's advance width cannot drift visibly inside it. A wide
    /// character ends its word, since the next column is two cells on.
    private static func texts(_ screen: Screen, row y: Int, theme: Theme) -> String {
        var out = "", x = 0
        let baseline = number(Double(y) * cellHeight + cellHeight * 0.78)
        while x < screen.width {
            let cell = screen[x, y]
            guard !cell.isContinuation, cell.text != " " else { x += 1; continue }
            let role = cell.foreground
            var word = "", end = x
            while end < screen.width, screen[end, y].foreground == role, !screen[end, y].isContinuation, screen[end, y].text != " " {
                word += screen[end, y].text
                end += 1
                if end < screen.width && screen[end, y].isContinuation { break }
            }
            let fill = hex(theme.foreground(role), fallback: "#d0d0d0")
            let weight = Theme.boldRoles.contains(role) ? " font-weight=\"bold\"" : ""
            out += "<text x=\"\(number(Double(x) * cellWidth))\" y=\"\(baseline)\" fill=\"\(fill)\"\(weight)>\(escape(word))</text>\n"
            x = max(end, x + 1)
        }
        return out
    }

    private static func legendRow(_ theme: Theme, top: Double) -> String {
        let entries: [(String, String)] = [
            ("mask", hex(theme.foreground(.mask), fallback: "#808080")),
            ("low conf.", hex(theme.foreground(.committed0), fallback: "#d0d0d0")),
            ("high conf.", hex(theme.foreground(.committed4), fallback: "#d0d0d0")),
            ("fresh", hex(theme.background(.fresh), fallback: "#404040")),
            ("remasked", hex(theme.foreground(.remasked), fallback: "#ff5f5f")),
            ("drafted", hex(theme.foreground(.drafted), fallback: "#ffaf00")),
            ("forced", hex(theme.foreground(.forced), fallback: "#af87ff")),
            ("cached", hex(theme.background(.cached), fallback: "#303030")),
        ]
        var out = "", x = cellWidth
        let text = hex(theme.foreground(.text), fallback: "#d0d0d0")
        for (label, color) in entries {
            out += "<rect x=\"\(number(x))\" y=\"\(number(top))\" width=\"\(number(cellWidth * 2))\" height=\"\(number(cellHeight - 4))\" fill=\"\(color)\"/>"
                + "<text x=\"\(number(x + cellWidth * 2.5))\" y=\"\(number(top + cellHeight * 0.7))\" fill=\"\(text)\">\(escape(label))</text>\n"
            x += cellWidth * Double(label.count + 5)
        }
        return out
    }

    /// `#rrggbb`, or `fallback` for the terminal's default colour.
    static func hex(_ color: ThemeColor, fallback: String) -> String {
        let rgb: (Int, Int, Int)
        switch color {
        case .terminalDefault: return fallback
        case .rgb(let r, let g, let b): rgb = (Int(r), Int(g), Int(b))
        case .indexed(let index): rgb = paletteRGB(index)
        }
        let digits = Array("0123456789abcdef")
        return "#" + [rgb.0, rgb.1, rgb.2].map { "\(digits[$0 / 16])\(digits[$0 % 16])" }.joined()
    }

    /// The xterm palette: 16 system colours, the 6×6×6 cube, the grey ramp.
    static func paletteRGB(_ index: Int) -> (Int, Int, Int) {
        let system = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                      (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
        let index = min(max(index, 0), 255)
        if index < 16 { return system[index] }
        if index >= 232 { let v = 8 + (index - 232) * 10; return (v, v, v) }
        let levels = [0, 95, 135, 175, 215, 255], i = index - 16
        return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }

    private static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
    }

    /// Markup text (the one rule of `MarkupText.escape`).
    static func escape(_ text: String) -> String { MarkupText.escape(text) }
}
