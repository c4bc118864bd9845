import Foundation
import Kernels

extension TransformerModel {
    /// One forward pass (one NFE); see `MaskPredictor` and `CacheUse` for the contract.
    public func forward(_ request: ForwardRequest) throws -> ForwardResult {
        let start = DispatchTime.now().uptimeNanoseconds
        let plan = try ForwardPlan(request, config: config, cachedLength: cache.length)
        try ensureRotary(covering: request.positions)
        let c = config, n = plan.tokens, d = c.hiddenSize
        workspace.ensure(rows: max(n, request.logitRows?.count ?? 0), keys: plan.keys, scoreBands: WorkSplit.coreCount)
        if let rows = plan.cacheRowsAfter { cache.reserve(rows) }
        let ws = workspace
        let x = ws.view(ws.x, n, d), h = ws.view(ws.h, n, d), q = ws.view(ws.q, n, d)
        let k = ws.view(ws.k, n, c.kvDim), v = ws.view(ws.v, n, c.kvDim)
        let gate = ws.view(ws.gate, n, c.intermediateSize), up = ws.view(ws.up, n, c.intermediateSize)
        // One [n, keys] band of scores per core: attention splits the heads over them.
        let scores = MatrixView(ws.scores, rows: n * WorkSplit.coreCount, columns: plan.keys)
        let shape = AttentionShape(heads: c.headCount, kvHeads: c.kvHeadCount, headDim: c.headDim)

        for (t, token) in request.tokens.enumerated() { weights.embedding.widenRows(token..<token + 1, into: x.row(t)) }

        let mask = request.attentionMask?.allowed
        for (l, layer) in weights.layers.enumerated() {
            // Attention block: h = n(x); q, k, v; RoPE; attend; x += Wo·a.
            layer.attentionNorm.withUnsafeBufferPointer { norm(x, weight: $0.baseAddress!, into: h) }
            project(h.readOnly, layer.query, into: q, scratch: scratch)
            project(h.readOnly, layer.key, into: k, scratch: scratch)
            project(h.readOnly, layer.value, into: v, scratch: scratch)
            if let bias = layer.queryBias { addBias(bias, to: q) }
            if let bias = layer.keyBias { addBias(bias, to: k) }
            if let bias = layer.valueBias { addBias(bias, to: v) }
            rotate(q, heads: c.headCount, positions: request.positions)
            rotate(k, heads: c.kvHeadCount, positions: request.positions)
            let segments = keySegments(plan.cache, layer: l, fresh: KeyValueSegment(keys: k.readOnly, values: v.readOnly))
            let attend = { (allowed: UnsafePointer<Bool>?) in
                attention(queries: q.readOnly, segments: segments, shape: shape, allowed: allowed, scores: scores, into: h)
            }
            if let mask { mask.withUnsafeBufferPointer { attend($0.baseAddress!) } } else { attend(nil) }
            storeFresh(plan.cache, layer: l, keys: k.readOnly, values: v.readOnly)
            project(h.readOnly, layer.attentionOut, into: x, scratch: scratch, accumulate: true)

            // MLP block: x += Wdown·(silu(Wgate·n(x)) ⊙ Wup·n(x)).
            layer.mlpNorm.withUnsafeBufferPointer { norm(x, weight: $0.baseAddress!, into: h) }
            project(h.readOnly, layer.gate, into: gate, scratch: scratch)
            project(h.readOnly, layer.up, into: up, scratch: scratch)
            parallelSwiGLU(gate: gate.base, up: up.base, count: n * c.intermediateSize)
            project(gate.readOnly, layer.down, into: x, scratch: scratch, accumulate: true)
        }
        if let rows = plan.cacheRowsAfter { cache.length = rows }

        // Logits only for the requested rows. Dream: row r reads the output at r − 1 of this slice,
        // row 0 its own (decoders.md §1.5).
        let rows = request.logitRows ?? Array(0..<n)
        let sources = rows.map { c.shiftsLogits ? max($0 - 1, 0) : $0 }
        let selected = ws.view(ws.h, rows.count, d)
        for (i, s) in sources.enumerated() { selected.row(i).update(from: x.row(s), count: d) }
        weights.finalNorm.withUnsafeBufferPointer {
            rmsNorm(selected.readOnly, weight: $0.baseAddress!, epsilon: c.rmsNormEpsilon, into: selected)
        }
        let vocabulary = c.vocabularySize
        let logits = [Float](unsafeUninitializedCapacity: rows.count * vocabulary) { buffer, count in
            if !rows.isEmpty {
                let out = MatrixView(buffer.baseAddress!, rows: rows.count, columns: vocabulary)
                project(selected.readOnly, weights.lmHead, into: out, scratch: scratch)
            }
            count = rows.count * vocabulary
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ForwardResult(logits: logits, rows: rows, vocabularySize: vocabulary, cache: request.cache, seconds: seconds)
    }

    /// Keys in attention order for this cache use. `.window` writes the fresh K/V into its cache
    /// rows first and attends to the whole cache; `.build` and `.extend` store them afterwards
    /// (`storeFresh`).
    private func keySegments(_ use: CacheUse, layer: Int, fresh: KeyValueSegment) -> [KeyValueSegment] {
        switch use {
        case .none, .build:
            return [fresh]
        case let .prefix(length), let .extend(length):
            return [KeyValueSegment(keys: cache.keys(layer: layer, rows: 0..<length),
                                    values: cache.values(layer: layer, rows: 0..<length)), fresh]
        case let .window(rows):
            cache.write(layer: layer, at: rows.lowerBound, keys: fresh.keys, values: fresh.values)
            return [KeyValueSegment(keys: cache.keys(layer: layer, rows: 0..<cache.length),
                                    values: cache.values(layer: layer, rows: 0..<cache.length))]
        }
    }

    /// Writes this layer's fresh K/V where the cache use keeps them (after attention).
    private func storeFresh(_ use: CacheUse, layer: Int, keys: ConstMatrixView, values: ConstMatrixView) {
        switch use {
        case .none, .prefix, .window: break
        case .build: cache.write(layer: layer, at: 0, keys: keys, values: values)
        case let .extend(length): cache.write(layer: layer, at: length, keys: keys, values: values)
        }
    }

    /// RMSNorm of x's rows into out, in row bands over the cores (rows are independent).
    private func norm(_ x: MatrixView, weight: UnsafePointer<Float>, into out: MatrixView) {
        forEachRowBand(x.rows, rowWidth: x.columns) { band in
            rmsNorm(x.rows(band).readOnly, weight: weight, epsilon: config.rmsNormEpsilon, into: out.rows(band))
        }
    }

    /// RoPE on m's rows, in row bands over the cores.
    private func rotate(_ m: MatrixView, heads: Int, positions: [Int]) {
        let table = rotary
        forEachRowBand(m.rows, rowWidth: m.columns) { band in
            applyRotary(m.rows(band), heads: heads, positions: Array(positions[band]), table: table)
        }
    }

    private func addBias(_ bias: [Float], to m: MatrixView) {
        bias.withUnsafeBufferPointer { b in
            for r in 0..<m.rows {
                let row = m.row(r)
                for i in 0..<m.columns { row[i] += b[i] }
            }
        }
    }

    /// Rebuilds the rotary table when a position exceeds it (up to the model's limit).
    private func ensureRotary(covering positions: [Int]) throws {
        let highest = positions.max() ?? 0
        guard highest >= rotary.maxPositions else { return }
        var size = rotary.maxPositions
        while size <= highest { size *= 2 }
        rotary = RotaryTable(headDim: config.headDim, theta: config.ropeTheta, maxPositions: min(size, config.maxSequenceLength))
    }
}

/// A validated forward request: sizes and what the cache becomes.
struct ForwardPlan {
    let tokens: Int
    /// Keys each query attends over (cached rows used + fresh tokens, or the whole cache).
    let keys: Int
    let cache: CacheUse
    /// The cache length after the pass, when the pass changes it.
    let cacheRowsAfter: Int?

    init(_ r: ForwardRequest, config c: ModelConfig, cachedLength: Int) throws {
        let n = r.tokens.count
        func fail(_ reason: String) -> ModelError { .invalidRequest(reason) }
        guard n > 0 else { throw fail("no tokens") }
        guard r.positions.count == n else { throw fail("\(r.positions.count) position ids for \(n) tokens") }
        if let bad = r.tokens.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
            throw fail("token id \(bad) outside the vocabulary of \(c.vocabularySize)")
        }
        if let bad = r.positions.first(where: { $0 < 0 || $0 >= c.maxSequenceLength }) {
            throw fail("position id \(bad) outside [0, \(c.maxSequenceLength))")
        }
        if let bad = r.logitRows?.first(where: { $0 < 0 || $0 >= n }) { throw fail("logit row \(bad) outside [0, \(n))") }
        switch r.cache {
        case .none: (keys, cacheRowsAfter) = (n, nil)
        case .build: (keys, cacheRowsAfter) = (n, n)
        case let .prefix(length):
            guard length >= 0, length <= cachedLength else { throw fail("prefix of \(length) rows, cache holds \(cachedLength)") }
            (keys, cacheRowsAfter) = (length + n, nil)
        case let .extend(length):
            guard length >= 0, length <= cachedLength else { throw fail("extend after \(length) rows, cache holds \(cachedLength)") }
            (keys, cacheRowsAfter) = (length + n, length + n)
        case let .window(rows):
            guard rows.lowerBound >= 0, rows.upperBound <= cachedLength, rows.count == n else {
                throw fail("window rows \(rows) for \(n) tokens, cache holds \(cachedLength)")
            }
            (keys, cacheRowsAfter) = (cachedLength, nil)
        }
        if let mask = r.attentionMask, mask.queries != n || mask.keys != keys {
            throw fail("attention mask is \(mask.queries)x\(mask.keys), expected \(n)x\(keys)")
        }
        tokens = n
        cache = r.cache
    }
}
