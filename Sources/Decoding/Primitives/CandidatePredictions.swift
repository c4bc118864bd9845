import Foundation
import Kernels
import Modeling
import Recording

/// How a decoder turns one logits row into a candidate token and its confidence.
public enum PredictionStyle: Sendable, Equatable {
    /// LLaDA style (decoders.md §1.2): Gumbel-max token at `temperature` (§1.3), confidence the
    /// untempered float64 full-vocabulary probability of that token. `sampleExcluded` ids never win
    /// the draw (`logits_eos_inf`); `confidenceExcluded` ids count as logit −∞ in the confidence
    /// softmax (`confidence_eos_eot_inf`, §2.7).
    case llada(temperature: Double, sampleExcluded: [Int] = [], confidenceExcluded: [Int] = [])
    /// Dream style (§1.4): temperature, top-p and top-k first; confidence after them.
    case dream(DreamSampling)

    /// The style a decoder of the given family uses at `temperature` with no other knob.
    public static func of(_ family: ModelDescriptor.Family, temperature: Double) -> PredictionStyle {
        family == .dream ? .dream(DreamSampling(temperature: temperature)) : .llada(temperature: temperature)
    }
}

/// What one masked position would take at this step.
public struct CandidatePrediction: Sendable, Equatable {
    public var position: Int
    public var token: Int
    /// The style's confidence of `token`, in [0, 1].
    public var confidence: Double
    /// d3LLM's entropy of the untempered distribution in nats (§1.2 step 3); nil unless asked for.
    public var entropy: Double?

    /// The commit of this prediction.
    public func commit(_ reason: CommitReason) -> Commit {
        Commit(position: position, token: token, confidence: confidence, entropy: entropy, reason: reason)
    }
}

/// The predictions of one step's candidates, in candidate order, addressable by position.
public struct CandidatePredictions: Sendable {
    public let all: [CandidatePrediction]
    private let indexOfPosition: [Int: Int]

    init(_ predictions: [CandidatePrediction]) {
        all = predictions
        indexOfPosition = Dictionary(uniqueKeysWithValues: predictions.enumerated().map { ($0.element.position, $0.offset) })
    }

    /// The prediction at `position`, which must be one of the candidates scored.
    public subscript(position: Int) -> CandidatePrediction {
        guard let index = indexOfPosition[position] else {
            preconditionFailure("position \(position) was not among the candidates scored")
        }
        return all[index]
    }

    /// Candidates scored by confidence (Fast-dLLM, LLaDA, WINO drafts).
    public var byConfidence: [Scored] { all.map { Scored(position: $0.position, score: $0.confidence) } }
    /// Candidates scored by negative entropy, so the lowest entropy ranks first (d3LLM, dParallel).
    public var byNegativeEntropy: [Scored] { all.map { Scored(position: $0.position, score: -($0.entropy ?? .infinity)) } }
}

/// Predicts every candidate position from `logits`. Candidates are visited in the order given and
/// the RNG is drawn in that order (one Gumbel draw or Dream sample per candidate), so the stream —
/// and every golden trajectory — depends only on the candidate order.
public func predictCandidates(_ candidates: [Int], logits: Logits, style: PredictionStyle, withEntropy: Bool = false,
                              rng: inout SplitMix64) -> CandidatePredictions {
    let vocabulary = logits.vocabularySize
    // Tokens first, in candidate order (they draw from the RNG); then the float64 scores, which
    // draw nothing, row by row over the cores.
    var predictions: [CandidatePrediction] = []
    predictions.reserveCapacity(candidates.count)
    for position in candidates {
        logits.withRow(position) { row in
            switch style {
            case .llada(let temperature, let sampleExcluded, _):
                let token = gumbelArgmax(row, count: vocabulary, temperature: temperature, rng: &rng, excluding: sampleExcluded)
                predictions.append(CandidatePrediction(position: position, token: token, confidence: 0))
            case .dream(let sampling):
                let draw = dreamDraw(row, count: vocabulary, sampling: sampling, rng: &rng)
                predictions.append(CandidatePrediction(position: position, token: draw.token, confidence: draw.probability))
            }
        }
    }
    let drawn = predictions
    let scored = parallelMap(drawn.count, parallel: logits.rowsAreWorthSplitting(drawn.count)) { i in
        var prediction = drawn[i]
        logits.withRow(prediction.position) { row in
            if case .llada(_, _, let confidenceExcluded) = style {
                prediction.confidence = lladaConfidence(row, count: vocabulary, token: prediction.token,
                                                        excluding: confidenceExcluded)
            }
            if withEntropy { prediction.entropy = d3llmEntropy(row, count: vocabulary) }
        }
        return prediction
    }
    return CandidatePredictions(scored)
}
