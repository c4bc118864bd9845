/// A rendered frame: a grid of cells, each holding one grapheme (or nothing, for the second column
/// of a wide character) with a foreground and a background role. `render` produces it; a backend
/// only copies it to a terminal; tests compare its text and role layers.
public struct Screen: Equatable, Sendable {
    public struct Cell: Equatable, Sendable {
        /// The grapheme drawn here; "" for the right half of a wide character.
        public var text: String
        public var foreground: StyleRole
        public var background: StyleRole
        public static let blank = Cell(text: " ", foreground: .text, background: .none)
        public var isContinuation: Bool { text.isEmpty }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from (x, y) on one row, stopping at `limit` (exclusive column, default the
    /// right edge). A wide character that does not fit is replaced by a space. Returns the column
    /// after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, foreground: StyleRole = .text,
                             background: StyleRole? = nil, limit: Int? = nil) -> Int {
        let end = min(limit ?? width, width)
        var column = x
        guard y >= 0, y < height else { return column }
        for character in text {
            let columns = DisplayWidth.of(character)
            if columns == 0 { continue }
            if column + columns > end {
                if column < end, column >= 0 { set(x: column, y: y, " ", foreground, background) }
                return end
            }
            if column >= 0 {
                set(x: column, y: y, String(character), foreground, background)
                if columns == 2 { set(x: column + 1, y: y, "", foreground, background) }
            }
            column += columns
        }
        return column
    }

    /// Clears a rectangle to spaces with the given background.
    public mutating func clear(x: Int, y: Int, width w: Int, height h: Int, background: StyleRole = .none) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(text: " ", foreground: .text, background: background)
            }
        }
    }

    private mutating func set(x: Int, y: Int, _ text: String, _ foreground: StyleRole, _ background: StyleRole?) {
        guard contains(x: x, y: y) else { return }
        // Overwriting half of a wide character blanks its other half.
        if self[x, y].isContinuation, x > 0 { self[x - 1, y].text = " " }
        if !self[x, y].isContinuation, x + 1 < width, self[x + 1, y].isContinuation, text != "" { self[x + 1, y].text = " " }
        self[x, y].text = text
        self[x, y].foreground = foreground
        if let background { self[x, y].background = background }
    }

    /// The text of each row (wide characters once, continuation cells omitted).
    public var lines: [String] {
        (0..<height).map { row in (0..<width).map { self[$0, row].text }.joined() }
    }

    /// One code letter per cell (see `StyleRole.code`), for the foreground and background layers.
    public var foregroundLayer: [String] {
        (0..<height).map { row in String((0..<width).map { self[$0, row].foreground.code }) }
    }

    public var backgroundLayer: [String] {
        (0..<height).map { row in String((0..<width).map { self[$0, row].background.code }) }
    }

    /// Text, foreground codes and background codes, for snapshot files.
    public var snapshot: String {
        let rule = String(repeating: "-", count: width)
        return (["text"] + lines + ["foreground " + rule] + foregroundLayer + ["background " + rule] + backgroundLayer)
            .joined(separator: "\n") + "\n"
    }
}
