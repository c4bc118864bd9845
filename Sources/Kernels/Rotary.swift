import Foundation

/// Cosines and sines of rotary position embeddings, precomputed once per model.
///
/// The angle for position p and frequency i is p · θ^(−2i/headDim), i in 0..<headDim/2, computed
/// in `Double` and stored as `Float`. Buffers are [maxPositions, headDim/2].
public struct RotaryTable: Sendable {
    public let headDim: Int
    public let theta: Double
    public let maxPositions: Int
    let cosines: [Float]
    let sines: [Float]

    public init(headDim: Int, theta: Double, maxPositions: Int) {
        precondition(headDim > 0 && headDim % 2 == 0, "rotary head dimension must be even")
        let half = headDim / 2
        var cosines = [Float](repeating: 0, count: maxPositions * half)
        var sines = cosines
        for p in 0..<maxPositions {
            for i in 0..<half {
                let inverseFrequency = 1 / pow(theta, Double(2 * i) / Double(headDim))
                let angle = Double(p) * inverseFrequency
                cosines[p * half + i] = Float(cos(angle))
                sines[p * half + i] = Float(sin(angle))
            }
        }
        self.headDim = headDim
        self.theta = theta
        self.maxPositions = maxPositions
        self.cosines = cosines
        self.sines = sines
    }
}

/// Applies rotary embeddings in the non-interleaved "rotate-half" form used by Llama, LLaDA and
/// Qwen2: for each head, with x₁ = x[0..<h/2] and x₂ = x[h/2..<h],
/// x ← (x₁·cos − x₂·sin, x₂·cos + x₁·sin).
/// `x` is [tokens, heads · headDim]; `positions[t]` is token t's absolute position id.
public func applyRotary(_ x: MatrixView, heads: Int, positions: [Int], table: RotaryTable) {
    let headDim = table.headDim, half = headDim / 2
    precondition(x.columns == heads * headDim, "applyRotary: columns \(x.columns) != heads·headDim")
    precondition(positions.count == x.rows, "applyRotary: one position id per row")
    table.cosines.withUnsafeBufferPointer { cosines in
        table.sines.withUnsafeBufferPointer { sines in
            for t in 0..<x.rows {
                let p = positions[t]
                precondition(p >= 0 && p < table.maxPositions, "position \(p) beyond the rotary table")
                let c = cosines.baseAddress! + p * half, s = sines.baseAddress! + p * half
                let row = x.row(t)
                for h in 0..<heads {
                    let head = row + h * headDim
                    for i in 0..<half {
                        let x1 = head[i], x2 = head[i + half]
                        head[i] = x1 * c[i] - x2 * s[i]
                        head[i + half] = x2 * c[i] + x1 * s[i]
                    }
                }
            }
        }
    }
}

/// Reference rotary embedding, computing every angle afresh in `Double`.
public func applyRotaryReference(_ x: MatrixView, heads: Int, headDim: Int, positions: [Int], theta: Double) {
    let half = headDim / 2
    for t in 0..<x.rows {
        for h in 0..<heads {
            for i in 0..<half {
                let angle = Double(positions[t]) / pow(theta, Double(2 * i) / Double(headDim))
                let x1 = Double(x[t, h * headDim + i]), x2 = Double(x[t, h * headDim + i + half])
                x[t, h * headDim + i] = Float(x1 * cos(angle) - x2 * sin(angle))
                x[t, h * headDim + i + half] = Float(x2 * cos(angle) + x1 * sin(angle))
            }
        }
    }
}
