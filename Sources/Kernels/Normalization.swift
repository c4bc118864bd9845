/// RMSNorm over each row: y = x / sqrt(mean(x²) + eps) · weight.
/// `x` and `out` are [rows, dim] (they may alias); `weight` is [dim].
public func rmsNorm(_ x: ConstMatrixView, weight: UnsafePointer<Float>, epsilon: Float, into out: MatrixView) {
    precondition(x.rows == out.rows && x.columns == out.columns, "rmsNorm: shape mismatch")
    let dim = x.columns
    for r in 0..<x.rows {
        let src = x.row(r), dst = out.row(r)
        var sumSquares: Float = 0
        for i in 0..<dim { sumSquares += src[i] * src[i] }
        let scale = 1 / (sumSquares / Float(dim) + epsilon).squareRoot()
        for i in 0..<dim { dst[i] = src[i] * scale * weight[i] }
    }
}

/// Reference RMSNorm in `Double`.
public func rmsNormReference(_ x: ConstMatrixView, weight: UnsafePointer<Float>, epsilon: Float, into out: MatrixView) {
    for r in 0..<x.rows {
        var sumSquares = 0.0
        for i in 0..<x.columns { sumSquares += Double(x[r, i]) * Double(x[r, i]) }
        let scale = 1 / (sumSquares / Double(x.columns) + Double(epsilon)).squareRoot()
        for i in 0..<x.columns { out[r, i] = Float(Double(x[r, i]) * scale * Double(weight[i])) }
    }
}
