import Foundation
import Kernels

extension TransformerModel {
    /// The weight files and their sizes in bytes, in name order.
    public var weightFiles: [(path: String, bytes: Int)] {
        (checkpoint.files.map { ($0.file.path, $0.file.size) } + (checkpoint.gguf.map { [($0.file.path, $0.file.size)] } ?? []))
            .sorted { $0.path < $1.path }
    }

    /// Bytes of RAM a forward pass over `tokens` tokens needs: the mapped weights (all touched
    /// once per pass, so resident in the page cache), the widening scratch, the work buffers, the
    /// attention scores, a KV cache of `tokens` rows and full logits.
    public func estimatedMemoryBytes(tokens n: Int) -> Int {
        let c = config
        let weights = checkpoint.totalBytes
        let scratchBytes = scratch.capacity * 4
        let work = n * (3 * c.hiddenSize + 2 * c.kvDim + 2 * c.intermediateSize) * 4
        let scores = WorkSplit.coreCount * n * n * 4  // one band per core
        let cacheBytes = 2 * c.layerCount * n * c.kvDim * 4
        let logits = n * c.vocabularySize * 4
        return weights + scratchBytes + work + scores + cacheBytes + logits
    }

    /// The matmul shapes (M, K, N) of one forward pass over `tokens` fresh tokens attending to
    /// `keys` keys, with logits for `logitRows` rows, and how many times each runs: the sgemm work
    /// that bounds the pass (projections, attention scores and values per head, LM head).
    public func matmulShapes(tokens n: Int, keys m: Int, logitRows r: Int) -> [(m: Int, k: Int, n: Int, count: Int)] {
        let c = config, d = c.hiddenSize, layers = c.layerCount
        var shapes: [(m: Int, k: Int, n: Int, count: Int)] = [
            (n, d, d, 2 * layers),                   // query, attention out
            (n, d, c.kvDim, 2 * layers),             // key, value
            (n, d, c.intermediateSize, 2 * layers),  // gate, up
            (n, c.intermediateSize, d, layers),      // down
            (n, c.headDim, m, c.headCount * layers), // scores Q·Kᵀ per head
            (n, m, c.headDim, c.headCount * layers), // weights · V per head
        ]
        if r > 0 { shapes.append((r, d, c.vocabularySize, 1)) }
        return shapes
    }
}
