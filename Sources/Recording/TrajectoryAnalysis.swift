import Foundation

/// What a finished (or partial) trajectory says about how its decoder behaved. Definitions
/// (docs/analysis.md gives them with worked examples):
///
/// - **decode order**: for each answer position, the step at which it took its final token (the
///   last commit, draft or force-fill there; a later remask sends it back to "not yet");
/// - **AR-ness**: Spearman's rank correlation between position and decode step over the useful
///   answer (positions up to and including the first stop token, or the whole answer without
///   one); 1 is strictly left to right, −1 right to left; nil when either side is constant;
/// - **answer emergence**: the first step `s` from which, at every later step too, each useful
///   position either holds its final token or, while masked, has its final token as the top-1 of
///   its latest ghost prediction; reported as `s / steps` (what Prophet's early commit exploits);
/// - **revocations**: tokens remasked, and how many of those positions ended with a different token.
public struct TrajectoryAnalysis: Sendable, Equatable, Codable {
    public var steps: Int
    /// Answer-relative decode step per answer position; nil where the position never got a token.
    public var decodeOrder: [Int?]
    /// Answer positions counted as the useful answer.
    public var usefulLength: Int
    public var arness: Double?
    /// First step of emergence, and that step as a fraction of `steps`.
    public var emergenceStep: Int?
    public var emergenceFraction: Double?
    public var remasked: Int
    public var remaskedChanged: Int

    /// Analyses every kept step of `replay`.
    public init(_ replay: Replay) {
        let answer = replay.latest.answerRange
        let final = replay.latest
        steps = replay.count
        let stops = Set(replay.header.stopTokenIDs)
        let firstStop = answer.first { stops.contains(final.cells[$0].token) }
        let useful = answer.lowerBound..<(firstStop.map { $0 + 1 } ?? answer.upperBound)
        usefulLength = useful.count

        var order = [Int?](repeating: nil, count: answer.count)
        var remaskedOld: [Int: [Int]] = [:]
        var canvas = replay.canvas(afterSteps: 0)
        var holds = [Bool](repeating: false, count: steps + 1)  // holds[s]: the condition at step s
        holds[0] = Self.emerged(canvas, final: final, useful: useful)
        for (index, step) in replay.steps.enumerated() {
            try? canvas.apply(step)
            for event in step.events {
                switch event {
                case .commit(let commits), .draft(let commits), .forceFill(let commits):
                    for c in commits where answer.contains(c.position) { order[c.position - answer.lowerBound] = index + 1 }
                case .remask(let remasks):
                    for r in remasks where answer.contains(r.position) {
                        order[r.position - answer.lowerBound] = nil
                        remaskedOld[r.position, default: []].append(r.oldToken)
                    }
                default: break
                }
            }
            holds[index + 1] = Self.emerged(canvas, final: final, useful: useful)
        }
        decodeOrder = order
        remasked = remaskedOld.values.reduce(0) { $0 + $1.count }
        remaskedChanged = remaskedOld.reduce(0) { sum, entry in
            sum + entry.value.filter { $0 != final.cells[entry.key].token }.count
        }
        let usefulOrder = useful.map { order[$0 - answer.lowerBound] }
        arness = usefulOrder.contains(nil) ? nil
            : spearman(usefulOrder.indices.map(Double.init), usefulOrder.map { Double($0!) })
        var first: Int?
        for s in stride(from: steps, through: 0, by: -1) {
            guard holds[s] else { break }
            first = s
        }
        emergenceStep = final.isComplete ? first : nil
        emergenceFraction = emergenceStep.map { steps == 0 ? 0 : Double($0) / Double(steps) }
    }

    private static func emerged(_ canvas: Canvas, final: Canvas, useful: Range<Int>) -> Bool {
        useful.allSatisfy { p in
            let cell = canvas.cells[p], target = final.cells[p].token
            return cell.state == .masked ? cell.prediction?.tokens.first == target : cell.token == target
        }
    }
}

/// Spearman's rank correlation (Pearson on average ranks, so ties share a rank); nil when either
/// series is constant or shorter than 2.
public func spearman(_ x: [Double], _ y: [Double]) -> Double? {
    guard x.count == y.count, x.count >= 2 else { return nil }
    let rx = averageRanks(x), ry = averageRanks(y)
    let mx = rx.reduce(0, +) / Double(rx.count), my = ry.reduce(0, +) / Double(ry.count)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in rx.indices {
        sxy += (rx[i] - mx) * (ry[i] - my)
        sxx += (rx[i] - mx) * (rx[i] - mx)
        syy += (ry[i] - my) * (ry[i] - my)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
}

/// 1-based ranks, ties given the mean of the ranks they span.
func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        let rank = Double(i + j) / 2 + 1
        for k in i...j { ranks[order[k]] = rank }
        i = j + 1
    }
    return ranks
}
