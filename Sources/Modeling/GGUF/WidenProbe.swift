import Foundation

extension TransformerModel {
    /// Seconds taken to widen or dequantize every matrix of one forward pass into the scratch,
    /// tile by tile as `project` does, without the sgemm: the cost a pass pays for keeping its
    /// weights 16-bit or quantized. Zero for aligned f32 weights (used in place).
    public func timeWidenOnly() -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var matrices = weights.layers.flatMap { [$0.query, $0.key, $0.value, $0.attentionOut, $0.gate, $0.up, $0.down] }
        matrices.append(weights.lmHead)
        for w in matrices where w.inPlace == nil {
            let tileRows = max(1, min(w.rows, scratch.capacity / max(w.columns, 1)))
            var row = 0
            while row < w.rows {
                let end = min(w.rows, row + tileRows)
                w.widenRows(row..<end, into: scratch.buffer)
                row = end
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
