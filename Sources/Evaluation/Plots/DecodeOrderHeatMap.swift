import Foundation

/// The decode-order map (docs/analysis.md) of one item under several settings, as a heat map: a
/// row per setting, a cell per answer position, coloured by the step that wrote the position's
/// final token relative to that decode's step count (light = first step, dark = last), so decoders
/// with different step counts share one scale. The step number is printed in each cell; positions
/// after the useful answer (padding after the stop token) are faded; a position that never got a
/// token is grey with "·".
public struct DecodeOrderHeatMap: Sendable {
    public struct Row: Sendable {
        public var label: String
        public var order: DecodeOrder
        public init(label: String, order: DecodeOrder) { self.label = label; self.order = order }
    }

    public var title: String
    public var rows: [Row]

    public init(title: String, rows: [Row]) {
        self.title = title
        self.rows = rows
    }

    static let cell = 17.0, rowGap = 4.0, top = 58.0, charWidth = 6.6, paddingOpacity = 0.35

    var labelWidth: Double { 16 + Double(rows.map { $0.label.count + 12 }.max() ?? 0) * Self.charWidth }
    var columns: Int { rows.map(\.order.positions.count).max() ?? 0 }

    /// Where 1-based `step` of `steps` falls on the ramp: 0 for the first step, 1 for the last.
    public static func rampPosition(step: Int, steps: Int) -> Double {
        steps > 1 ? Double(step - 1) / Double(steps - 1) : 0
    }

    /// The top-left corner of the cell of answer position `position` in row `row`.
    public func origin(row: Int, position: Int) -> (x: Double, y: Double) {
        (labelWidth + Double(position) * Self.cell, Self.top + Double(row) * (Self.cell + Self.rowGap))
    }

    public func svg() -> String {
        let gridBottom = Self.top + Double(rows.count) * (Self.cell + Self.rowGap)
        let width = max(labelWidth + Double(columns) * Self.cell + 16, 560)
        var doc = SVGDocument(width: width, height: gridBottom + 64, title: title)
        doc.text(title, x: 8, y: 22, size: 14, bold: true)
        doc.text("answer position", x: labelWidth, y: Self.top - 22, size: 11, fill: "#444444")
        for position in stride(from: 0, to: columns, by: 8) {
            doc.text("\(position)", x: labelWidth + (Double(position) + 0.5) * Self.cell, y: Self.top - 6, anchor: .middle,
                     size: 10, fill: "#444444")
        }
        for (index, row) in rows.enumerated() {
            let y = origin(row: index, position: 0).y
            doc.text("\(row.label) · \(row.order.steps) steps", x: labelWidth - 8, y: y + 12, anchor: .end, size: 11)
            for (position, step) in row.order.positions.enumerated() {
                let x = origin(row: index, position: position).x
                let faded = position >= row.order.useful ? Self.paddingOpacity : nil
                guard let step else {
                    doc.rect(x: x, y: y, width: Self.cell - 1, height: Self.cell, fill: "#bbbbbb", opacity: faded, kind: "cell",
                             data: ["position": "\(position)", "step": ""])
                    doc.text("·", x: x + Self.cell / 2, y: y + 12, anchor: .middle, size: 10, fill: "#444444")
                    continue
                }
                let t = Self.rampPosition(step: step, steps: row.order.steps)
                doc.rect(x: x, y: y, width: Self.cell - 1, height: Self.cell, fill: ColourRamp.colour(at: t), opacity: faded, kind: "cell",
                         data: ["position": "\(position)", "step": "\(step)"])
                doc.text("\(step)", x: x + (Self.cell - 1) / 2, y: y + 12, anchor: .middle, size: step >= 100 ? 7 : 9,
                         fill: faded == nil ? ColourRamp.textColour(at: t) : "#555555")
            }
        }
        legend(&doc, top: gridBottom + 12)
        return doc.rendered()
    }

    private func legend(_ doc: inout SVGDocument, top: Double) {
        var x = labelWidth
        doc.text("first step", x: x - 6, y: top + 12, anchor: .end, size: 11)
        for i in 0..<10 {
            doc.rect(x: x, y: top, width: 16, height: 16, fill: ColourRamp.colour(at: Double(i) / 9))
            x += 16
        }
        doc.text("last step of that decode", x: x + 6, y: top + 12, size: 11)
        doc.rect(x: labelWidth, y: top + 24, width: 16, height: 16, fill: ColourRamp.colour(at: 0.5), opacity: Self.paddingOpacity)
        doc.text("faded: after the first stop token (padding)", x: labelWidth + 22, y: top + 36, size: 11)
        doc.rect(x: labelWidth + 320, y: top + 24, width: 16, height: 16, fill: "#bbbbbb")
        doc.text("never written", x: labelWidth + 342, y: top + 36, size: 11)
    }
}
