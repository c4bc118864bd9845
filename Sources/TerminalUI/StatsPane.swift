import Recording

/// The numbers beside a canvas: decoder, step, NFE, TPF, speed, masks, the last forward pass, a
/// sparkline of commits per step, a histogram over the masked positions, parameters and gauges.
struct StatsPane {
    let frame: LaneFrame
    let parameters: [ParameterRow]
    let selectedParameter: Int?
    let histogram: HistogramMetric

    /// "0.9→0.85 s": the value, an edit on its way, and the timing tag (s, b or r).
    static func shown(_ parameter: ParameterRow) -> String {
        parameter.value + (parameter.pending.map { "→" + $0 } ?? "") + (parameter.timing.map { " " + $0.tag } ?? "")
    }

    static let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let histogramBins = 5

    func draw(into screen: inout Screen, x: Int, y: Int, width: Int, height: Int) {
        var row = y
        let bottom = y + height
        func line(_ label: String, _ value: String, role: StyleRole = .value) {
            guard row < bottom else { return }
            let end = screen.put(Format.fit(label, 9) + " ", x: x, y: row, foreground: .muted, limit: x + width)
            screen.put(value, x: end, y: row, foreground: role, limit: x + width)
            row += 1
        }
        func title(_ text: String) {
            guard row < bottom else { return }
            let end = screen.put("─ " + text + " ", x: x, y: row, foreground: .title, limit: x + width)
            screen.put(String(repeating: "─", count: max(0, x + width - end)), x: end, y: row, foreground: .border, limit: x + width)
            row += 1
        }
        let canvas = frame.canvas
        line("decoder", frame.header.decoder, role: .title)
        line("step", "\(frame.step) / \(frame.lane.replay.count)\(frame.lane.replay.isFinished ? "" : "…")")
        line("NFE", "\(frame.nfe)")
        line("TPF", Format.number(frame.tokensPerForward))
        line("tokens/s", Format.number(frame.tokensPerSecond, digits: 1))
        let fresh = frame.step > 0 ? " (+\(canvas.commitsPerStep.last ?? 0))" : ""
        line("masks", "\(canvas.maskedCount) / \(canvas.answerRange.count)\(fresh)")
        if let forward = canvas.lastForward {
            line("forward", forward.mode.rawValue)
            line("window", "[\(forward.window.lower), \(forward.window.upper)) \(Format.number(forward.milliseconds, digits: 1)) ms")
        } else {
            line("forward", "–")
            line("window", "–")
        }
        title("commits / step")
        if row < bottom {
            screen.put(sparkline(canvas.commitsPerStep, width: width), x: x, y: row, foreground: .sparkline, limit: x + width)
            row += 1
        }
        if !parameters.isEmpty, bottom - row >= 2 {
            title(parameters.contains { $0.timing != nil } ? "parameters (Tab [ ]) s/b/r" : "parameters (Tab [ ])")
            let reserved = canvas.gauges.isEmpty ? 0 : min(canvas.gauges.count + 1, 3)
            let visible = max(1, min(parameters.count, bottom - row - reserved))
            let selected = selectedParameter ?? 0
            let start = min(max(0, selected - visible + 1), max(0, parameters.count - visible))
            for index in start..<min(parameters.count, start + visible) where row < bottom {
                let key = parameters[index].key
                let value = Self.shown(parameters[index])
                let isSelected = index == selectedParameter
                let marker = isSelected ? "▸" : " "
                let valueWidth = min(width / 2, parameters.map { DisplayWidth.of(Self.shown($0)) }.max() ?? 0)
                let end = screen.put(marker + Format.fit(key, max(1, width - 2 - valueWidth)) + " ", x: x, y: row,
                                     foreground: isSelected ? .selected : .muted, background: isSelected ? .selectedRow : nil,
                                     limit: x + width)
                screen.put(value, x: end, y: row, foreground: .value, background: isSelected ? .selectedRow : nil, limit: x + width)
                row += 1
            }
        }
        if !canvas.gauges.isEmpty, bottom - row >= 2 {
            title("gauges")
            for name in canvas.gauges.keys.sorted() where row < bottom {
                let gauge = canvas.gauges[name]!
                let value = Format.number(gauge.value) + (gauge.threshold.map { " / " + Format.number($0) } ?? "")
                let end = screen.put(Format.fit(name, max(9, width - DisplayWidth.of(value) - 1)) + " ", x: x, y: row,
                                     foreground: .muted, limit: x + width)
                screen.put(value, x: end, y: row, foreground: .value, limit: x + width)
                row += 1
            }
        }
        let bins = min(Self.histogramBins, bottom - row - 1)
        if bins >= 3 {
            title("\(histogram.rawValue) of masks (m)")
            for (label, count, fraction) in histogramRows(bins: bins) {
                let end = screen.put(Format.fit(label, 9), x: x, y: row, foreground: .muted, limit: x + width)
                let barWidth = max(0, width - 9 - 5)
                let filled = Int(clamping: (fraction * Double(barWidth)).rounded(), to: 0...barWidth)
                let afterBar = screen.put(String(repeating: "█", count: filled), x: end, y: row, foreground: .histogram, limit: x + width)
                screen.put(" \(count)", x: afterBar, y: row, foreground: .value, limit: x + width)
                row += 1
            }
        }
    }

    /// The last `width` values as bar glyphs scaled to the largest.
    func sparkline(_ values: [Int], width: Int) -> String {
        let shown = values.suffix(width)
        let peak = max(1, shown.max() ?? 1)
        return String(shown.map { value in
            value == 0 ? " " : Self.sparks[min(Self.sparks.count - 1, (value * Self.sparks.count - 1) / peak)]
        })
    }

    /// (label, count, fraction of the largest bin) for confidence (top-1 probability) or entropy
    /// of the current ghost predictions at masked positions.
    func histogramRows(bins: Int = histogramBins) -> [(String, Int, Double)] {
        let canvas = frame.canvas
        let predictions = canvas.maskedPositions.compactMap { canvas.cells[$0].prediction }
        let values: [Double] = switch histogram {
        case .confidence: predictions.compactMap(\.probabilities.first)
        case .entropy: predictions.map(\.entropy)
        }
        let upper = histogram == .confidence ? 1.0 : max(1.0, (values.max() ?? 1).rounded(.up))
        var counts = Array(repeating: 0, count: bins)
        for value in values where value.isFinite {
            counts[Int(clamping: value / upper * Double(bins), to: 0...(bins - 1))] += 1
        }
        let peak = max(1, counts.max() ?? 1)
        return (0..<bins).reversed().map { bin in
            let low = upper * Double(bin) / Double(bins), high = upper * Double(bin + 1) / Double(bins)
            return ("\(Format.number(low, digits: 1))-\(Format.number(high, digits: 1))", counts[bin], Double(counts[bin]) / Double(peak))
        }
    }
}
