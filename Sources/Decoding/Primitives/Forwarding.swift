import Foundation
import Kernels
import Modeling
import Recording

/// The logits rows of one forward pass, addressed by canvas position.
public struct Logits {
    public let result: ForwardResult
    private let rowOfPosition: [Int: Int]

    /// `positions[r]` is the canvas position of result row `r`.
    public init(result: ForwardResult, positions: [Int]) {
        self.result = result
        var map: [Int: Int] = [:]
        for (row, position) in positions.enumerated() { map[position] = row }
        rowOfPosition = map
    }

    public var vocabularySize: Int { result.vocabularySize }
    public func has(_ position: Int) -> Bool { rowOfPosition[position] != nil }

    /// Calls `body` with the row for `position` (which must have been requested).
    public func withRow<R>(_ position: Int, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try result.withRow(rowOfPosition[position]!, body)
    }

    /// Ghost predictions (decoders.md §9 `predict`) for the given positions, rows over the cores
    /// (each row's numbers are the same whichever core computes them).
    public func predictions(_ positions: [Int]) -> Event {
        .predict(parallelMap(positions.count, parallel: rowsAreWorthSplitting(positions.count)) { i in
            withRow(positions[i]) { ghostPrediction($0, count: vocabularySize, position: positions[i]) }
        })
    }

    /// Whether scoring `rows` full-vocabulary rows (a few float64 exp/log per logit) pays for a
    /// split over the cores: from about 64 k logits, a fraction of a millisecond of work.
    func rowsAreWorthSplitting(_ rows: Int) -> Bool { rows > 1 && rows * vocabularySize >= 1 << 16 }
}

/// Runs one forward pass over the contiguous canvas slice `slice` (positions = absolute canvas
/// indices), asking for logits at the canvas positions `logitPositions` (all inside `slice`).
/// Returns the logits and the `forward` event (one NFE) describing it.
public func forwardSlice(_ predictor: any MaskPredictor, tokens: [Int], slice: Range<Int>, cache: CacheUse,
                         mode: ForwardMode, logitPositions: [Int]) throws -> (Logits, Event) {
    let request = ForwardRequest(tokens: Array(tokens[slice]), positions: Array(slice), cache: cache,
                                 logitRows: logitPositions.map { $0 - slice.lowerBound })
    let result = try predictor.forward(request)
    try checkRows(result, expected: logitPositions.count, vocabulary: predictor.descriptor.vocabularySize)
    return (Logits(result: result, positions: logitPositions),
            .forward(Forward(mode: mode, window: PositionRange(slice), milliseconds: result.seconds * 1000)))
}

/// A predictor returned a result of the wrong shape.
public struct PredictorShapeError: Error, CustomStringConvertible {
    public let description: String
}

func checkRows(_ result: ForwardResult, expected: Int, vocabulary: Int) throws {
    guard result.rows.count == expected, result.vocabularySize == vocabulary,
          result.logits.count == expected * vocabulary else {
        throw PredictorShapeError(description: "predictor returned \(result.rows.count) rows × \(result.vocabularySize) "
                                  + "(\(result.logits.count) logits); expected \(expected) × \(vocabulary)")
    }
}
