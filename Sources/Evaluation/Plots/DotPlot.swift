import Foundation

/// A horizontal dot plot of one metric per bench setting: a row per setting, every item's value as a
/// faint dot and the mean over items as a bar from the axis origin ending in a bold dot, with the
/// mean printed at the right. Reads better than a column of means because the spread shows
/// (AR-ness is often 1 for some items and 0.3 for others under the same decoder).
public struct DotPlot: Sendable {
    public struct Row: Sendable {
        public var label: String
        /// One value per item where the metric is defined.
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
        public var mean: Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
    }

    public var title: String
    public var axisLabel: String
    /// The x range drawn; values outside it are clamped to its ends.
    public var domain: ClosedRange<Double>
    /// Where the mean's bar starts (0 for both AR-ness and emergence).
    public var origin: Double
    public var ticks: [Double]
    public var rows: [Row]

    public init(title: String, axisLabel: String, domain: ClosedRange<Double>, origin: Double = 0, ticks: [Double], rows: [Row]) {
        self.title = title
        self.axisLabel = axisLabel
        self.domain = domain
        self.origin = origin
        self.ticks = ticks
        self.rows = rows
    }

    // Layout in SVG units: label column, plot area, value column; one band per row.
    static let rowHeight = 26.0, top = 40.0, plotWidth = 420.0, valueWidth = 90.0, bottom = 46.0, charWidth = 6.6

    var labelWidth: Double { 16 + Double(rows.map(\.label.count).max() ?? 0) * Self.charWidth }

    /// The x of `value` on the axis.
    public func x(_ value: Double) -> Double {
        let clamped = min(max(value, domain.lowerBound), domain.upperBound)
        return labelWidth + (clamped - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * Self.plotWidth
    }

    /// The y of the centre of row `index`'s band.
    public func y(row index: Int) -> Double { Self.top + (Double(index) + 0.5) * Self.rowHeight }

    public func svg() -> String {
        let height = Self.top + Double(rows.count) * Self.rowHeight + Self.bottom
        var doc = SVGDocument(width: labelWidth + Self.plotWidth + Self.valueWidth, height: height, title: title)
        doc.text(title, x: 8, y: 22, size: 14, bold: true)
        let axisY = Self.top + Double(rows.count) * Self.rowHeight
        for tick in ticks {
            doc.line(x1: x(tick), y1: Self.top, x2: x(tick), y2: axisY, stroke: tick == origin ? "#888888" : "#dddddd")
            doc.text(Self.format(tick), x: x(tick), y: axisY + 16, anchor: .middle, size: 11, fill: "#444444")
        }
        doc.line(x1: x(domain.lowerBound), y1: axisY, x2: x(domain.upperBound), y2: axisY, stroke: "#444444")
        doc.text(axisLabel, x: x((domain.lowerBound + domain.upperBound) / 2), y: axisY + 36, anchor: .middle, size: 12)
        doc.text("mean (items)", x: labelWidth + Self.plotWidth + 10, y: Self.top - 8, size: 11, fill: "#444444")
        for (index, row) in rows.enumerated() {
            let cy = y(row: index)
            if index % 2 == 1 {
                doc.rect(x: labelWidth, y: cy - Self.rowHeight / 2, width: Self.plotWidth, height: Self.rowHeight, fill: "#f4f4f4")
            }
            doc.text(row.label, x: labelWidth - 8, y: cy + 4, anchor: .end, size: 11)
            for (item, value) in row.values.enumerated() {
                // A fixed spread inside the band keeps coincident values visible without randomness.
                let offset = Double(item * 5 % 11 - 5) * 1.4
                doc.circle(cx: x(value), cy: cy + offset, r: 2.6, fill: "#1f77b4", opacity: 0.35, kind: "item",
                           data: ["value": Self.format(value, digits: 4)])
            }
            guard let mean = row.mean else {
                doc.text("n/a", x: labelWidth + Self.plotWidth + 10, y: cy + 4, size: 11, fill: "#888888")
                continue
            }
            let a = x(origin), b = x(mean)
            doc.rect(x: min(a, b), y: cy - 2, width: abs(b - a), height: 4, fill: "#d62728", opacity: 0.6, kind: "bar")
            doc.circle(cx: b, cy: cy, r: 5, fill: "#d62728", stroke: "#ffffff", kind: "mean", data: ["value": Self.format(mean, digits: 4)])
            doc.text("\(Self.format(mean)) (\(row.values.count))", x: labelWidth + Self.plotWidth + 10, y: cy + 4, size: 11)
        }
        return doc.rendered()
    }

    static func format(_ value: Double, digits: Int = 2) -> String {
        let text = String(format: "%.\(digits)f", value)
        return text == "-" + String(format: "%.\(digits)f", 0.0) ? String(text.dropFirst()) : text
    }
}
