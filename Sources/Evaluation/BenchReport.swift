import Foundation

/// A decoder at one parameter setting: one row of the bench table.
public struct BenchSetting: Codable, Sendable, Hashable {
    public var decoder: String
    /// Parameter overrides on top of the decoder's reference defaults, e.g. ["threshold": "0.7"].
    public var overrides: [String: String]

    public init(decoder: String, overrides: [String: String] = [:]) {
        self.decoder = decoder
        self.overrides = overrides
    }

    /// "fast-dllm threshold=0.7", or "fast-dllm (reference)".
    public var label: String {
        overrides.isEmpty ? "\(decoder) (reference)"
            : decoder + " " + overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

/// What one decode produced, as the bench needs it.
public struct DecodeOutcome: Codable, Sendable, Equatable {
    public var answer: String
    public var nfe: Int
    /// Useful tokens: up to the first stop token, padding dropped (decoders.md §1.1).
    public var usefulTokens: Int
    public var seconds: Double
    /// The decode's AR-ness and answer emergence (fraction of steps), docs/analysis.md; nil where
    /// undefined (a constant decode order, an incomplete answer).
    public var arness: Double?
    public var emergence: Double?
    /// Final answer tokens that differ from the same decode without a cache (`bench --cache-drift`,
    /// cached settings only).
    public var cacheDrift: Int?
    /// The decode's revocations: positions remasked, and of those how many ended with a different
    /// token (docs/analysis.md). Nil in reports written before they were recorded.
    public var remasked: Int?
    public var remaskedChanged: Int?
    /// The step at which each answer position took its final token, for the results page's
    /// decode-order heat map.
    public var decodeOrder: DecodeOrder?

    public init(answer: String, nfe: Int, usefulTokens: Int, seconds: Double, arness: Double? = nil, emergence: Double? = nil,
                cacheDrift: Int? = nil, remasked: Int? = nil, remaskedChanged: Int? = nil, decodeOrder: DecodeOrder? = nil) {
        self.answer = answer
        self.nfe = nfe
        self.usefulTokens = usefulTokens
        self.seconds = seconds
        self.arness = arness
        self.emergence = emergence
        self.cacheDrift = cacheDrift
        self.remasked = remasked
        self.remaskedChanged = remaskedChanged
        self.decodeOrder = decodeOrder
    }
}

/// A decode's order map as the bench stores it: `steps` in all, `useful` answer positions counted
/// by the analysis, and per answer position the 1-based step of its final token (nil: never).
public struct DecodeOrder: Codable, Sendable, Equatable {
    public var steps: Int
    public var useful: Int
    public var positions: [Int?]

    public init(steps: Int, useful: Int, positions: [Int?]) {
        self.steps = steps
        self.useful = useful
        self.positions = positions
    }
}

public struct ItemResult: Codable, Sendable, Equatable {
    public var setting: String
    public var itemID: String
    public var correct: Bool
    public var outcome: DecodeOutcome

    public init(setting: String, itemID: String, correct: Bool, outcome: DecodeOutcome) {
        self.setting = setting
        self.itemID = itemID
        self.correct = correct
        self.outcome = outcome
    }
}

/// Totals of one setting over the suite.
public struct SettingSummary: Codable, Sendable, Equatable {
    public var setting: BenchSetting
    public var label: String
    public var items: Int
    public var correct: Int
    /// Percent.
    public var accuracy: Double
    public var meanNFE: Double
    /// Total useful tokens / total forward passes.
    public var tokensPerForward: Double
    /// Total useful tokens / total decode seconds.
    public var tokensPerSecond: Double
    public var wallSeconds: Double
    /// Means over the items where each is defined (nil when none is).
    public var meanARness: Double?
    public var meanEmergence: Double?
    /// Mean differing final tokens against the uncached twin, over the items that ran one.
    public var meanCacheDrift: Double?
    /// Mean remasked positions per item, and mean of those that ended different (revocations).
    public var meanRemasked: Double?
    public var meanRemaskedChanged: Double?

    public init(setting: BenchSetting, results: [ItemResult]) {
        self.setting = setting
        label = setting.label
        items = results.count
        correct = results.filter(\.correct).count
        accuracy = results.isEmpty ? 0 : 100 * Double(correct) / Double(results.count)
        let nfe = results.reduce(0) { $0 + $1.outcome.nfe }
        let tokens = results.reduce(0) { $0 + $1.outcome.usefulTokens }
        wallSeconds = results.reduce(0) { $0 + $1.outcome.seconds }
        meanNFE = results.isEmpty ? 0 : Double(nfe) / Double(results.count)
        tokensPerForward = nfe > 0 ? Double(tokens) / Double(nfe) : 0
        tokensPerSecond = wallSeconds > 0 ? Double(tokens) / wallSeconds : 0
        meanARness = mean(results.compactMap(\.outcome.arness))
        meanEmergence = mean(results.compactMap(\.outcome.emergence))
        meanCacheDrift = mean(results.compactMap(\.outcome.cacheDrift).map(Double.init))
        meanRemasked = mean(results.compactMap(\.outcome.remasked).map(Double.init))
        meanRemaskedChanged = mean(results.compactMap(\.outcome.remaskedChanged).map(Double.init))
    }
}

private func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
}

/// Everything a bench run measured; written as JSON for papers and plots.
public struct BenchReport: Codable, Sendable {
    public var suite: String
    public var model: String
    public var seed: UInt64
    public var itemsPerSetting: Int
    /// False when the run was interrupted: the summaries cover the settings finished so far.
    public var complete: Bool
    public var summaries: [SettingSummary]
    /// Best accuracy of any setting: the y_max of AUP.
    public var yMax: Double
    /// AUP per decoder over its settings' (TPF, accuracy) points.
    public var aup: [String: Double]
    public var results: [ItemResult]
    /// OpenBLAS core and threads, for the record.
    public var machine: String

    public init(suite: String, model: String, seed: UInt64, itemsPerSetting: Int, complete: Bool,
                summaries: [SettingSummary], results: [ItemResult], machine: String) {
        self.suite = suite
        self.model = model
        self.seed = seed
        self.itemsPerSetting = itemsPerSetting
        self.complete = complete
        self.summaries = summaries
        self.results = results
        self.machine = machine
        yMax = summaries.map(\.accuracy).max() ?? 0
        var aup: [String: Double] = [:]
        for decoder in Set(summaries.map(\.setting.decoder)) {
            let points = summaries.filter { $0.setting.decoder == decoder }
                .map { AUP.Point(tpf: $0.tokensPerForward, accuracy: $0.accuracy) }
            aup[decoder] = AUP.score(points, yMax: yMax)
        }
        self.aup = aup
    }

    /// The table printed after a run.
    public func table() -> String {
        let showsDrift = summaries.contains { $0.meanCacheDrift != nil }
        // Revocations only mean something where a decoder remasks; the column appears when one did.
        let showsRemasks = summaries.contains { ($0.meanRemasked ?? 0) > 0 }
        let header = ["setting", "acc %", "NFE", "TPF", "tok/s", "wall s", "AUP", "AR-ness", "emerge"] + (showsDrift ? ["drift"] : [])
            + (showsRemasks ? ["remask", "changed"] : [])
        var rows: [[String]] = []
        var shownAUP = Set<String>()
        for s in summaries {
            let aupText = shownAUP.insert(s.setting.decoder).inserted ? String(format: "%.1f", aup[s.setting.decoder] ?? 0) : ""
            rows.append([s.label, String(format: "%.1f", s.accuracy), String(format: "%.1f", s.meanNFE),
                         String(format: "%.2f", s.tokensPerForward), String(format: "%.1f", s.tokensPerSecond),
                         String(format: "%.1f", s.wallSeconds), aupText,
                         s.meanARness.map { String(format: "%.2f", $0) } ?? "-", s.meanEmergence.map { String(format: "%.2f", $0) } ?? "-"]
                        + (showsDrift ? [s.meanCacheDrift.map { String(format: "%.1f", $0) } ?? "-"] : [])
                        + (showsRemasks ? [s.meanRemasked, s.meanRemaskedChanged].map { $0.map { String(format: "%.1f", $0) } ?? "-" } : []))
        }
        return TextTable.render(header: header, rows: rows)
    }

    /// One CSV line per setting.
    public func csv() -> String {
        var lines = ["decoder,setting,items,correct,accuracy,mean_nfe,tpf,tokens_per_second,wall_seconds,aup,arness,emergence,cache_drift,remasked,remasked_changed"]
        for s in summaries {
            let label = s.label.contains(",") ? "\"\(s.label)\"" : s.label
            lines.append([s.setting.decoder, label, "\(s.items)", "\(s.correct)", String(format: "%.4f", s.accuracy),
                          String(format: "%.4f", s.meanNFE), String(format: "%.4f", s.tokensPerForward),
                          String(format: "%.4f", s.tokensPerSecond), String(format: "%.4f", s.wallSeconds),
                          String(format: "%.4f", aup[s.setting.decoder] ?? 0),
                          s.meanARness.map { String(format: "%.4f", $0) } ?? "", s.meanEmergence.map { String(format: "%.4f", $0) } ?? "",
                          s.meanCacheDrift.map { String(format: "%.4f", $0) } ?? "",
                          s.meanRemasked.map { String(format: "%.4f", $0) } ?? "", s.meanRemaskedChanged.map { String(format: "%.4f", $0) } ?? ""]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Left-aligned first column, right-aligned numbers.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension BenchReport {
    /// A Markdown section for a results page: the command that produced it, the machine, the
    /// table with AUP and the plot.
    public func markdown(title: String, command: String) -> String {
        """
        ## \(title)

        ```sh
        \(command)
        ```

        Model `\(model)`, suite `\(suite)`, \(itemsPerSetting) items per setting, seed \(seed), \(machine)\(complete ? "" : " (interrupted: partial)").
        Accuracy in percent; NFE = mean forward passes per item; TPF = useful tokens per forward; AUP over each
        decoder's settings with y_max = \(String(format: "%.1f", yMax)); AR-ness (1 = left to right) and emergence (the
        fraction of steps after which the answer no longer changes its top-1 predictions) are means over items; remask and
        changed (where shown) are the mean positions remasked per item and of those the ones that ended different; docs/analysis.md.

        ```
        \(table())
        ```

        ```
        \(ScatterPlot.render(self))
        ```

        """
    }
}
