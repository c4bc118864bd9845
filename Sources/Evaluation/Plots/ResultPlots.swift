import Foundation

/// The results page's pictures of one bench report (`dllm-play plot`): AR-ness and answer emergence
/// per setting as dot plots, and the decode-order heat map of a typical item under every setting.
/// Everything is read from the report's per-item outcomes, so plots never need a second run.
public enum ResultPlots {
    public struct File: Sendable, Equatable {
        /// File name, e.g. "reference-arness.svg".
        public var name: String
        public var caption: String
        public var svg: String
    }

    /// The plots `report` has data for, named `prefix-…svg`: none for a report without analysis
    /// columns (written before they existed).
    public static func files(_ report: BenchReport, prefix: String) -> [File] {
        var files: [File] = []
        let arness = rows(report, \.arness), emergence = rows(report, \.emergence)
        if arness.contains(where: { !$0.values.isEmpty }) {
            let plot = DotPlot(title: "AR-ness per setting (\(report.suite), \(report.itemsPerSetting) items)",
                               axisLabel: "AR-ness: rank correlation of decode step with position (1 = left to right)",
                               domain: -1...1, ticks: [-1, -0.5, 0, 0.5, 1], rows: arness)
            files.append(File(name: "\(prefix)-arness.svg", caption: "AR-ness per setting: a dot per item, the bar and bold dot at the mean",
                              svg: plot.svg()))
        }
        if emergence.contains(where: { !$0.values.isEmpty }) {
            let plot = DotPlot(title: "Answer emergence per setting (\(report.suite), \(report.itemsPerSetting) items)",
                               axisLabel: "emergence: first step from which every top-1 is final, over all steps",
                               domain: 0...1, ticks: [0, 0.25, 0.5, 0.75, 1], rows: emergence)
            files.append(File(name: "\(prefix)-emergence.svg",
                              caption: "Answer emergence per setting: a dot per item, the bar and bold dot at the mean (lower: the answer was decided earlier, before it was written)",
                              svg: plot.svg()))
        }
        if let item = typicalItem(report) {
            let heatRows = report.summaries.compactMap { summary in
                report.results.first { $0.setting == summary.label && $0.itemID == item }?.outcome.decodeOrder
                    .map { DecodeOrderHeatMap.Row(label: summary.label, order: $0) }
            }
            let map = DecodeOrderHeatMap(title: "Decode order of \(item) under each setting (the step that wrote each final token)",
                                         rows: heatRows)
            files.append(File(name: "\(prefix)-decode-order.svg",
                              caption: "Decode order of \(item), the item whose AR-ness is nearest every setting's median", svg: map.svg()))
        }
        return files
    }

    /// The item whose AR-ness is, summed over settings, nearest each setting's median AR-ness:
    /// one item for every row so the rows compare the same prompt. Only items with a decode order
    /// under every setting qualify; an undefined AR-ness counts as the largest distance (2); ties go
    /// to the earlier item. Nil when no item qualifies.
    public static func typicalItem(_ report: BenchReport) -> String? {
        let labels = report.summaries.map(\.label)
        guard let first = labels.first else { return nil }
        var outcomes: [String: [String: DecodeOutcome]] = [:]  // setting → item → outcome
        for result in report.results { outcomes[result.setting, default: [:]][result.itemID] = result.outcome }
        let medians = labels.map { label in median(outcomes[label]?.values.compactMap(\.arness) ?? []) }
        var best: (item: String, distance: Double)?
        for result in report.results where result.setting == first {
            let item = result.itemID
            let perSetting = labels.map { outcomes[$0]?[item] }
            guard perSetting.allSatisfy({ $0?.decodeOrder != nil }) else { continue }
            var distance = 0.0
            for (outcome, median) in zip(perSetting, medians) {
                guard let median else { continue }
                distance += outcome?.arness.map { abs($0 - median) } ?? 2
            }
            if best == nil || distance < best!.distance { best = (item, distance) }
        }
        return best?.item
    }

    /// A Markdown section embedding each file, linked as `linkPrefix + name`.
    public static func markdown(_ files: [File], title: String, linkPrefix: String) -> String {
        var lines = ["## \(title)", ""]
        if files.isEmpty { lines += ["(this report has no analysis columns to plot)", ""] }
        for file in files {
            lines += ["\(file.caption):", "", "![\(file.caption)](\(linkPrefix)\(file.name))", ""]
        }
        return lines.joined(separator: "\n")
    }

    private static func rows(_ report: BenchReport, _ metric: KeyPath<DecodeOutcome, Double?>) -> [DotPlot.Row] {
        report.summaries.map { summary in
            DotPlot.Row(label: summary.label,
                        values: report.results.filter { $0.setting == summary.label }.compactMap { $0.outcome[keyPath: metric] })
        }
    }

    private static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
