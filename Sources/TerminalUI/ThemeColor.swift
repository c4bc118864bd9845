/// A colour as a theme file writes it, and its nearest equivalent on 256- or 8-colour terminals.
public enum ThemeColor: Equatable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// A palette index, 0...255 (0...7 are the basic colours).
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses "#RRGGBB", "#RGB", "default", a palette index 0-255, a basic colour name or
    /// "bright_" plus one.
    public init?(parsing text: String) {
        let value = text.lowercased()
        if value == "default" || value.isEmpty { self = .terminalDefault; return }
        if let index = Int(value) {
            guard (0...255).contains(index) else { return nil }
            self = .indexed(index)
            return
        }
        if let index = Self.basicNames.firstIndex(of: value) { self = .indexed(index); return }
        if value.hasPrefix("bright_"), let index = Self.basicNames.firstIndex(of: String(value.dropFirst(7))) {
            self = .indexed(index + 8)
            return
        }
        guard value.hasPrefix("#") else { return nil }
        let hex = Array(value.dropFirst())
        guard hex.allSatisfy(\.isHexDigit) else { return nil }
        let digits = hex.count == 3 ? hex.flatMap { [$0, $0] } : hex
        guard digits.count == 6, let packed = UInt32(String(digits), radix: 16) else { return nil }
        self = .rgb(UInt8(packed >> 16), UInt8((packed >> 8) & 0xFF), UInt8(packed & 0xFF))
    }

    /// Palette index to use on a terminal with `colors` colours; -1 for the terminal default.
    public func paletteIndex(colors: Int) -> Int {
        switch self {
        case .terminalDefault: return -1
        case .indexed(let index):
            if index < colors { return index }
            if index < 16 { return index - 8 }
            return Self.nearestBasic(Self.rgbOfPaletteIndex(index))
        case .rgb(let r, let g, let b):
            return colors >= 256 ? Self.nearest256(r, g, b) : Self.nearestBasic((Int(r), Int(g), Int(b)))
        }
    }

    /// The xterm 6x6x6 cube or grey ramp entry closest to an RGB colour.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ v: UInt8) -> Int { levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) }! }
        let (ri, gi, bi) = (cubeIndex(r), cubeIndex(g), cubeIndex(b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let grey = min(23, max(0, (Int(r) + Int(g) + Int(b)) / 3 - 3) / 10)
        let greyValue = 8 + grey * 10
        func distance(_ c: (Int, Int, Int)) -> Int {
            let (dr, dg, db) = (c.0 - Int(r), c.1 - Int(g), c.2 - Int(b))
            return dr * dr + dg * dg + db * db
        }
        return distance((greyValue, greyValue, greyValue)) < distance(cube) ? 232 + grey : 16 + 36 * ri + 6 * gi + bi
    }

    static func nearestBasic(_ c: (Int, Int, Int)) -> Int {
        let maxChannel = max(c.0, c.1, c.2)
        guard maxChannel >= 64 else { return 0 }
        let threshold = maxChannel / 2 + 16
        let bits = (c.0 >= threshold ? 1 : 0) | (c.1 >= threshold ? 2 : 0) | (c.2 >= threshold ? 4 : 0)
        return bits
    }

    static func rgbOfPaletteIndex(_ index: Int) -> (Int, Int, Int) {
        if index >= 232 { let v = 8 + (index - 232) * 10; return (v, v, v) }
        let levels = [0, 95, 135, 175, 215, 255]
        let i = index - 16
        return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }

    /// Linear interpolation between two colours (palette colours snap to the nearer end).
    static func mix(_ a: ThemeColor, _ b: ThemeColor, _ t: Double) -> ThemeColor {
        guard case .rgb(let ar, let ag, let ab) = a, case .rgb(let br, let bg, let bb) = b else { return t < 0.5 ? a : b }
        func lerp(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return .rgb(lerp(ar, br), lerp(ag, bg), lerp(ab, bb))
    }
}
