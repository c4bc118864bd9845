import Foundation

/// One transformer block's weights. Matrices stay mapped; vectors are widened once at load.
struct LayerWeights: @unchecked Sendable {
    let attentionNorm: [Float]   // [d]
    let query: WeightMatrix      // [d, d]
    let key: WeightMatrix        // [kvDim, d]
    let value: WeightMatrix      // [kvDim, d]
    let attentionOut: WeightMatrix  // [d, d]
    let mlpNorm: [Float]         // [d]
    let gate: WeightMatrix       // [I, d]
    let up: WeightMatrix         // [I, d]
    let down: WeightMatrix       // [d, I]
    let queryBias: [Float]?      // [d] (Dream)
    let keyBias: [Float]?        // [kvDim]
    let valueBias: [Float]?      // [kvDim]
}

/// Every weight of the model, checked against the config: names, shapes, nothing missing, nothing
/// left over.
struct ModelWeights: @unchecked Sendable {
    let embedding: WeightMatrix  // [V, d]
    let layers: [LayerWeights]
    let finalNorm: [Float]       // [d]
    let lmHead: WeightMatrix     // [V, d] (the embedding when tied)
    /// The dtypes present, for model-info.
    let dtypes: Set<TensorDType>

    init(checkpoint: Checkpoint, config c: ModelConfig) throws {
        let names = TensorNames(family: c.family)
        var used = Set<String>()
        func tensor(_ name: String, _ shape: [Int]) throws -> TensorSlice {
            guard let slice = checkpoint.tensors[name] else {
                throw ModelError.missingTensor(name: name, searched: checkpoint.paths)
            }
            guard slice.shape == shape else {
                throw ModelError.wrongShape(tensor: name, file: slice.file.path, expected: shape, found: slice.shape)
            }
            used.insert(name)
            return slice
        }
        func matrix(_ name: String, _ shape: [Int]) throws -> WeightMatrix { WeightMatrix(try tensor(name, shape)) }
        func vector(_ name: String, _ shape: [Int]) throws -> [Float] { WeightMatrix(try tensor(name, shape)).floats() }

        // The embedding decides the logits width (LLaDA pads vocab_size up to embedding_size).
        embedding = try matrix(names.embedding, [c.vocabularySize, c.hiddenSize])
        var layers: [LayerWeights] = []
        for i in 0..<c.layerCount {
            func m(_ role: TensorNames.LayerRole) throws -> WeightMatrix {
                try matrix(names.layer(i, role), TensorNames.shape(role, c))
            }
            func v(_ role: TensorNames.LayerRole) throws -> [Float] {
                try vector(names.layer(i, role), TensorNames.shape(role, c))
            }
            layers.append(LayerWeights(
                attentionNorm: try v(.attentionNorm), query: try m(.query), key: try m(.key), value: try m(.value),
                attentionOut: try m(.attentionOut), mlpNorm: try v(.mlpNorm), gate: try m(.gate), up: try m(.up),
                down: try m(.down),
                queryBias: c.qkvBias ? try v(.queryBias) : nil,
                keyBias: c.qkvBias ? try v(.keyBias) : nil,
                valueBias: c.qkvBias ? try v(.valueBias) : nil))
        }
        self.layers = layers
        finalNorm = try vector(names.finalNorm, [c.hiddenSize])
        if c.tiedEmbeddings {
            lmHead = embedding
            if let head = checkpoint.tensors[names.lmHead], head.shape == embedding.slice.shape { used.insert(head.name) }
        } else {
            lmHead = try matrix(names.lmHead, [c.vocabularySize, c.hiddenSize])
        }
        let extra = checkpoint.tensors.keys.filter { !used.contains($0) && !$0.hasSuffix("rotary_emb.inv_freq") }.sorted()
        guard extra.isEmpty else { throw ModelError.unexpectedTensors(names: extra) }
        dtypes = Set(checkpoint.tensors.values.map(\.dtype))
    }
}
