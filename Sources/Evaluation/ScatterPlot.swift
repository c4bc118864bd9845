import Foundation

/// A text scatter plot of accuracy (y, percent) against tokens per forward (x), one marker per
/// series, for the terminal after a bench run.
public enum ScatterPlot {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) { self.name = name; self.points = points }
    }

    static let markers: [Character] = ["●", "■", "▲", "◆", "✚", "★", "○", "□", "△", "◇", "x", "+"]

    /// `width` × `height` is the plotting area; axes and legend are added around it.
    public static func render(_ series: [Series], width: Int = 60, height: Int = 16,
                              xLabel: String = "tokens per forward", yLabel: String = "accuracy %") -> String {
        let all = series.flatMap(\.points)
        guard !all.isEmpty, width > 1, height > 1 else { return "(no points to plot)" }
        let xMin = 0.0, xMax = max(1, (all.map(\.x).max() ?? 1) * 1.05)
        let yMin = max(0, floor(((all.map(\.y).min() ?? 0) - 5) / 10) * 10)
        let yMax = min(100, ceil(((all.map(\.y).max() ?? 100) + 1) / 10) * 10)
        let ySpan = max(yMax - yMin, 1)
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        for (index, s) in series.enumerated() {
            let marker = markers[index % markers.count]
            for p in s.points {
                let column = Int(((p.x - xMin) / (xMax - xMin) * Double(width - 1)).rounded())
                let row = height - 1 - Int(((p.y - yMin) / ySpan * Double(height - 1)).rounded())
                grid[min(max(row, 0), height - 1)][min(max(column, 0), width - 1)] = marker
            }
        }
        var lines: [String] = [yLabel]
        for (r, row) in grid.enumerated() {
            let value = yMax - ySpan * Double(r) / Double(height - 1)
            let tick = r % 4 == 0 || r == height - 1 ? String(format: "%5.0f", value) : "     "
            lines.append(tick + " ┤" + String(row))
        }
        lines.append("      └" + String(repeating: "─", count: width))
        let left = String(format: "%.0f", xMin), right = String(format: "%.1f", xMax)
        lines.append("       " + left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right)
        lines.append("       " + String(repeating: " ", count: max(0, (width - xLabel.count) / 2)) + xLabel)
        for (index, s) in series.enumerated() { lines.append("  \(markers[index % markers.count]) \(s.name)") }
        return lines.joined(separator: "\n")
    }

    /// One series per decoder, from a report.
    public static func render(_ report: BenchReport) -> String {
        var order: [String] = []
        for s in report.summaries where !order.contains(s.setting.decoder) { order.append(s.setting.decoder) }
        let series = order.map { decoder in
            Series(name: decoder, points: report.summaries.filter { $0.setting.decoder == decoder }
                .map { (x: $0.tokensPerForward, y: $0.accuracy) })
        }
        return render(series)
    }
}
