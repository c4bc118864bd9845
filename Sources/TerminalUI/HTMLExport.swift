import Foundation
import Recording

/// A trajectory (one lane, or several to compare) as one self-contained HTML file that plays in a
/// browser with the terminal's look: theme colours, mask glyphs, the confidence gradient; play,
/// pause, step and scrub; an inspector per token (top-k, entropy, history) on hover or click.
///
/// No network: the data, styles and script are all inline (`HTMLPlayerAssets`). The data is the
/// canvas after every step, as the cells that changed (`CanvasDelta`), computed here by the same
/// `Canvas.apply` the playground uses, so the page shows exactly what the replay shows. Opening
/// `FILE.html#step=N` (or `#step=end`) starts at that step; `#order` (or `o`) turns on the
/// decode-order map, each written position drawn as the step that wrote it.
public enum HTMLExport {
    /// `showOrder` starts the page with the decode-order map on (the `o` toggle, or `#order` in the URL).
    public static func html(lanes: [Replay], label: String, theme: Theme, showOrder: Bool = false) throws -> String {
        let data = PlayerData(title: "dllm-play · \(label)", maskGlyph: theme.maskGlyph, order: showOrder, lanes: lanes.map(LaneData.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // JSONEncoder escapes "/" as "\/", so no "</script>" can close the data block early.
        let json = String(decoding: try encoder.encode(data), as: UTF8.self)
        return HTMLPlayerAssets.page(title: escape(data.title), css: HTMLPlayerAssets.css(variables: cssVariables(theme)), json: json)
    }

    /// Theme colours as CSS custom properties.
    static func cssVariables(_ theme: Theme) -> String {
        let colors: [(String, String)] = [
            ("bg", SVGExport.hex(theme.background(.none), fallback: "#1c1c1c")),
            ("fg", SVGExport.hex(theme.foreground(.text), fallback: "#d0d0d0")),
            ("muted", SVGExport.hex(theme.foreground(.muted), fallback: "#808080")),
            ("title", SVGExport.hex(theme.foreground(.title), fallback: "#88c0d0")),
            ("prompt", SVGExport.hex(theme.foreground(.prompt), fallback: "#808080")),
            ("mask", SVGExport.hex(theme.foreground(.mask), fallback: "#606060")),
            ("ghost", SVGExport.hex(theme.foreground(.ghost), fallback: "#606060")),
            ("c0", SVGExport.hex(theme.foreground(.committed0), fallback: "#bf616a")),
            ("c1", SVGExport.hex(theme.foreground(.committed1), fallback: "#d08770")),
            ("c2", SVGExport.hex(theme.foreground(.committed2), fallback: "#ebcb8b")),
            ("c3", SVGExport.hex(theme.foreground(.committed3), fallback: "#a3be8c")),
            ("c4", SVGExport.hex(theme.foreground(.committed4), fallback: "#8fbcbb")),
            ("fresh", SVGExport.hex(theme.background(.fresh), fallback: "#3b4252")),
            ("remasked", SVGExport.hex(theme.foreground(.remasked), fallback: "#ff5f5f")),
            ("drafted", SVGExport.hex(theme.foreground(.drafted), fallback: "#ffaf00")),
            ("forced", SVGExport.hex(theme.foreground(.forced), fallback: "#af87ff")),
            ("block", SVGExport.hex(theme.background(.blockActive), fallback: "#2e3440")),
            ("cached", SVGExport.hex(theme.background(.cached), fallback: "#262626")),
            ("cursor", SVGExport.hex(theme.background(.cursor), fallback: "#4c566a")),
        ]
        return colors.map { "--\($0.0): \($0.1);" }.joined(separator: " ")
    }

    static func escape(_ text: String) -> String { SVGExport.escape(text) }
}

/// Everything the page's script reads, as one JSON object.
struct PlayerData: Encodable {
    var title: String
    var maskGlyph: String
    /// Whether the decode-order map starts on.
    var order: Bool
    var lanes: [LaneData]
}

/// One lane: the header facts, token texts and the per-step canvas changes.
struct LaneData: Encodable {
    var decoder: String
    var config: [String: String]
    var seed: UInt64
    var model: String
    var promptText: String
    var promptLength: Int
    var canvasLength: Int
    var maskToken: Int
    var texts: [String: String]
    /// The canvas at step 0 (prompt and masks), then the cells each step changed.
    var initial: [CanvasDelta.Cell]
    var steps: [CanvasDelta]
    var end: String?

    init(_ replay: Replay) {
        let header = replay.header
        decoder = header.decoder
        config = header.config
        seed = header.seed
        model = header.model.name
        promptText = header.promptText
        promptLength = header.promptTokens.count
        canvasLength = header.canvasLength
        maskToken = header.maskTokenID
        texts = Dictionary(uniqueKeysWithValues: replay.tokenTexts.map { (String($0.key), $0.value) })
        var canvas = replay.canvas(afterSteps: 0)
        initial = canvas.cells.indices.map { CanvasDelta.Cell(canvas.cells[$0], position: $0) }
        var steps: [CanvasDelta] = []
        for step in replay.steps {
            let before = canvas
            try? canvas.apply(step)
            steps.append(CanvasDelta(step: step, before: before, after: canvas))
        }
        self.steps = steps
        end = replay.end.map { "\($0.reason.rawValue): \($0.steps) steps, NFE \($0.nfe) · \($0.answerText)" } ?? replay.note
    }
}

/// What one step changed: the cells whose state differs from the step before, plus the step's
/// forward, active block, cached range and the positions it touched.
struct CanvasDelta: Encodable {
    struct Cell: Encodable {
        var p: Int
        var t: Int
        /// State: "prompt", "masked", "committed", "drafted", "force-filled".
        var s: String
        var c: Double?
        var e: Double?
        var r: String?
        /// The latest ghost prediction: top ids and probabilities.
        var k: [Int]?
        var q: [Double]?
        var x: Int?

        init(_ cell: Canvas.Cell, position: Int) {
            p = position
            t = cell.token
            s = cell.state.rawValue
            c = cell.confidence.map(finite)
            e = cell.entropy.map(finite)
            r = cell.reason?.rawValue
            k = cell.prediction?.tokens
            q = cell.prediction?.probabilities.map(finite)
            x = cell.replacedToken
        }
    }

    var n: Int
    var cells: [Cell]
    var touched: [Int]
    var forward: String?
    var block: [Int]?
    var cached: [Int]?
    var events: [String]

    init(step: StepRecord, before: Canvas, after: Canvas) {
        n = step.step
        cells = after.cells.indices.filter { after.cells[$0] != before.cells[$0] }.map { Cell(after.cells[$0], position: $0) }
        touched = after.touchedThisStep.sorted()
        forward = after.lastForward.map { "\($0.mode.rawValue) [\($0.window.lower), \($0.window.upper))" }
        block = after.activeBlock.flatMap { after.blocks[$0] }.map { [$0.span.lower, $0.span.upper] }
        cached = after.cachedRange.map { [$0.lower, $0.upper] }
        events = castMarkers(step)
    }
}

/// JSON has no NaN or infinity; the readers already refuse them, this keeps the encoder total.
private func finite(_ x: Double) -> Double { x.isFinite ? x : 0 }
