import Foundation

/// SiLU(x) = x · σ(x).
@inline(__always) public func silu(_ x: Float) -> Float { x / (1 + expf(-x)) }

/// SwiGLU gate, in place: gate[i] = silu(gate[i]) · up[i], over `count` elements.
/// LLaDA: `ff_out(silu(ff_proj(x)) * up_proj(x))`; Qwen2: `down(silu(gate(x)) * up(x))`.
public func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { gate[i] = silu(gate[i]) * up[i] }
}

/// Reference SwiGLU in `Double`.
public func swiGLUReference(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let g = Double(gate[i])
        gate[i] = Float(g / (1 + exp(-g)) * Double(up[i]))
    }
}
