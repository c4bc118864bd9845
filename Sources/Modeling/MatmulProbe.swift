import Foundation
import Kernels

extension TransformerModel {
    /// Seconds taken by only the matmuls of a forward pass over `tokens` fresh tokens with logits
    /// for `logitRows` rows: the same `project` calls on the same mapped weights and work buffers,
    /// without embedding, norms, RoPE, attention or SwiGLU. Run back to back with a real forward
    /// pass it tells how much of the pass is sgemm, even on a busy machine. Leaves the KV cache alone.
    public func timeMatmulsOnly(tokens n: Int, logitRows r: Int) -> Double {
        let c = config, d = c.hiddenSize, ws = workspace
        ws.ensure(rows: max(n, r), keys: 1)
        for (p, count) in [(ws.h, d), (ws.gate, c.intermediateSize)] { p.update(repeating: 0.01, count: n * count) }
        let h = ws.view(ws.h, n, d), x = ws.view(ws.x, n, d), q = ws.view(ws.q, n, d)
        let k = ws.view(ws.k, n, c.kvDim), v = ws.view(ws.v, n, c.kvDim)
        let gate = ws.view(ws.gate, n, c.intermediateSize), up = ws.view(ws.up, n, c.intermediateSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: max(r, 1) * c.vocabularySize)
        defer { logits.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        for layer in weights.layers {
            project(h.readOnly, layer.query, into: q, scratch: scratch)
            project(h.readOnly, layer.key, into: k, scratch: scratch)
            project(h.readOnly, layer.value, into: v, scratch: scratch)
            project(h.readOnly, layer.attentionOut, into: x, scratch: scratch)
            project(h.readOnly, layer.gate, into: gate, scratch: scratch)
            project(h.readOnly, layer.up, into: up, scratch: scratch)
            project(up.readOnly, layer.down, into: x, scratch: scratch)
        }
        if r > 0 {
            project(ws.view(ws.h, r, d).readOnly, weights.lmHead,
                    into: MatrixView(logits, rows: r, columns: c.vocabularySize), scratch: scratch)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
