import Foundation

/// Numerically stable softmax of `count` values, in place: subtract the maximum, exponentiate,
/// normalise. Used inside attention.
public func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var maximum = row[0]
    for i in 1..<count where row[i] > maximum { maximum = row[i] }
    if maximum == -.infinity {  // every entry masked: define the result as all zeros
        row.update(repeating: 0, count: count)
        return
    }
    var sum: Float = 0
    for i in 0..<count {
        let e = expf(row[i] - maximum)
        row[i] = e
        sum += e
    }
    let inverse = 1 / sum
    for i in 0..<count { row[i] *= inverse }
}

/// Softmax in `Double`, for confidences compared against thresholds (decoders.md §1.2 computes
/// them in float64). Writes `count` probabilities into `out`.
public func softmaxDouble(_ row: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Double>) {
    guard count > 0 else { return }
    let maximum = Double(maxElement(row, count: count))
    var sum = 0.0
    for i in 0..<count {
        let e = exp(Double(row[i]) - maximum)
        out[i] = e
        sum += e
    }
    let inverse = 1 / sum
    for i in 0..<count { out[i] *= inverse }
}

/// log Σ exp(row), in `Double`, stable.
public func logSumExp(_ row: UnsafePointer<Float>, count: Int) -> Double {
    guard count > 0 else { return -.infinity }
    let maximum = Double(maxElement(row, count: count))
    if maximum == -.infinity { return -.infinity }
    var sum = 0.0
    for i in 0..<count { sum += exp(Double(row[i]) - maximum) }
    return maximum + log(sum)
}

/// Log-softmax of a row, in `Double`.
public func logSoftmax(_ row: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Double>) {
    let normaliser = logSumExp(row, count: count)
    for i in 0..<count { out[i] = Double(row[i]) - normaliser }
}

/// Shannon entropy (nats) of softmax(row): H = log Z − Σ pᵢ ℓᵢ, exact and stable.
public func entropy(ofLogits row: UnsafePointer<Float>, count: Int) -> Double {
    guard count > 0 else { return 0 }
    let maximum = Double(maxElement(row, count: count))
    var sum = 0.0, weighted = 0.0
    for i in 0..<count {
        let shifted = Double(row[i]) - maximum
        let e = exp(shifted)
        sum += e
        weighted += e * shifted
    }
    return log(sum) - weighted / sum
}

/// The largest of `count` values (the first one on ties).
@inline(__always) public func maxElement(_ row: UnsafePointer<Float>, count: Int) -> Float {
    var maximum = row[0]
    for i in 1..<count where row[i] > maximum { maximum = row[i] }
    return maximum
}
