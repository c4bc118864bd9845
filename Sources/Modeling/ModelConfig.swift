import Foundation

/// The architecture of a checkpoint, in Swift names, whichever family's config.json it came from.
///
/// Both families are pre-RMSNorm Llama-style transformers with rotate-half RoPE, SwiGLU MLPs and
/// bidirectional attention; they differ in key names, QKV bias (Dream), GQA (Dream), tying and
/// the Dream one-position logit shift (decoders.md §1.5, §8).
public struct ModelConfig: Codable, Sendable, Equatable {
    public typealias Family = ModelDescriptor.Family

    public var family: Family
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var intermediateSize: Int
    /// Rows of the embedding and the LM head (LLaDA's `embedding_size`, may exceed `vocab_size`).
    public var vocabularySize: Int
    public var ropeTheta: Double
    public var rmsNormEpsilon: Float
    public var maxSequenceLength: Int
    public var tiedEmbeddings: Bool
    public var qkvBias: Bool
    public var maskTokenID: Int?
    public var eosTokenID: Int?
    public var padTokenID: Int?

    public var headDim: Int { hiddenSize / headCount }
    public var kvDim: Int { kvHeadCount * headDim }
    /// Dream predicts token i from the output at i − 1.
    public var shiftsLogits: Bool { family == .dream }

    public init(family: Family, hiddenSize: Int, layerCount: Int, headCount: Int, kvHeadCount: Int,
                intermediateSize: Int, vocabularySize: Int, ropeTheta: Double, rmsNormEpsilon: Float,
                maxSequenceLength: Int, tiedEmbeddings: Bool, qkvBias: Bool,
                maskTokenID: Int? = nil, eosTokenID: Int? = nil, padTokenID: Int? = nil) {
        self.family = family
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.ropeTheta = ropeTheta
        self.rmsNormEpsilon = rmsNormEpsilon
        self.maxSequenceLength = maxSequenceLength
        self.tiedEmbeddings = tiedEmbeddings
        self.qkvBias = qkvBias
        self.maskTokenID = maskTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
    }

    /// Reads `config.json` of an HF checkpoint folder.
    public static func load(directory: URL) throws -> ModelConfig {
        let url = directory.appendingPathComponent("config.json")
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path)
    }

    /// Parses config.json text, detecting the family from `model_type` or `architectures`.
    public static func parse(_ data: Data, path: String = "config.json") throws -> ModelConfig {
        let probe: FamilyProbe
        do { probe = try JSONDecoder().decode(FamilyProbe.self, from: data) } catch {
            throw ModelError.malformedJSON(path: path, reason: "\(error)")
        }
        let architectures = probe.architectures ?? []
        let byType: Family? = switch probe.modelType?.lowercased() {
        case "llada": .llada
        case "dream": .dream
        default: nil
        }
        let byArchitecture = Set(architectures.compactMap { name -> Family? in
            name.hasPrefix("LLaDA") ? .llada : name.hasPrefix("Dream") ? .dream : nil
        })
        if let byType, !byArchitecture.isEmpty, byArchitecture != [byType] || byArchitecture.count > 1 {
            throw ModelError.invalidConfig(path: path, reason: "model_type \"\(probe.modelType ?? "")\" disagrees with architectures "
                + "\(architectures) (hint: a LLaDA folder says \"llada\" and LLaDAModelLM, a Dream folder \"Dream\" and DreamModel)")
        }
        if byType == nil, byArchitecture.count > 1 {
            throw ModelError.invalidConfig(path: path, reason: "architectures \(architectures) name both families")
        }
        let config: ModelConfig
        switch byType ?? byArchitecture.first {
        case .llada:
            let file = try decode(LLaDAConfigFile.self, data, path: path)
            try file.validate(path: path)
            config = file.modelConfig
        case .dream:
            config = try decode(DreamConfigFile.self, data, path: path).modelConfig
        case nil:
            throw ModelError.unknownFamily(path: path, modelType: probe.modelType, architectures: architectures)
        }
        try config.validate(path: path)
        return config
    }

    /// Upper bounds on sizes: far beyond any real checkpoint, small enough that no product of two
    /// of them overflows and no buffer size computed from them is absurd.
    public static let limits = (width: 1 << 16, layers: 1 << 10, heads: 1 << 10, vocabulary: 1 << 24, sequence: 1 << 20)

    func validate(path: String) throws {
        func check(_ ok: Bool, _ reason: String) throws {
            if !ok { throw ModelError.invalidConfig(path: path, reason: reason) }
        }
        let limits = Self.limits
        for (value, name, limit) in [(hiddenSize, "hidden size", limits.width), (layerCount, "layer count", limits.layers),
                                     (headCount, "head count", limits.heads), (kvHeadCount, "KV head count", limits.heads),
                                     (intermediateSize, "MLP size", limits.width * 8), (vocabularySize, "vocabulary size", limits.vocabulary),
                                     (maxSequenceLength, "max sequence length", limits.sequence)] {
            try check((1...limit).contains(value), "\(name) \(value) is outside 1...\(limit)")
        }
        try check(hiddenSize % headCount == 0, "hidden size \(hiddenSize) is not a multiple of \(headCount) heads")
        try check(headCount % kvHeadCount == 0, "\(headCount) heads are not a multiple of \(kvHeadCount) KV heads")
        try check(headDim % 2 == 0, "head dimension \(headDim) must be even for RoPE")
        try check(ropeTheta.isFinite && ropeTheta > 1 && ropeTheta <= 1e12, "rope_theta \(ropeTheta) is outside (1, 1e12]")
        try check(rmsNormEpsilon.isFinite && rmsNormEpsilon > 0 && rmsNormEpsilon <= 0.1,
                  "rms_norm_eps \(rmsNormEpsilon) is outside (0, 0.1] (typical: 1e-5 or 1e-6)")
        for (id, name) in [(maskTokenID, "mask_token_id"), (eosTokenID, "eos_token_id"), (padTokenID, "pad_token_id")] {
            if let id { try check((0..<vocabularySize).contains(id), "\(name) \(id) is outside the vocabulary 0..<\(vocabularySize)") }
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data, path: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch let DecodingError.keyNotFound(key, _) {
            throw ModelError.missingConfigKey(path: path, key: key.stringValue)
        } catch {
            throw ModelError.malformedJSON(path: path, reason: "\(error)")
        }
    }
}

private struct FamilyProbe: Decodable {
    var modelType: String?
    var architectures: [String]?
    enum CodingKeys: String, CodingKey { case modelType = "model_type", architectures }
}

/// LLaDA's config.json (OLMo-style keys).
private struct LLaDAConfigFile: Decodable {
    var dModel: Int
    var nLayers: Int
    var nHeads: Int
    var nKVHeads: Int?
    var mlpHiddenSize: Int
    var vocabSize: Int
    var embeddingSize: Int?
    var ropeTheta: Double?
    var rmsNormEps: Float?
    var maxSequenceLength: Int?
    var weightTying: Bool?
    var maskTokenID: Int?
    var eosTokenID: Int?
    var padTokenID: Int?

    enum CodingKeys: String, CodingKey {
        case dModel = "d_model", nLayers = "n_layers", nHeads = "n_heads", nKVHeads = "n_kv_heads"
        case mlpHiddenSize = "mlp_hidden_size", vocabSize = "vocab_size", embeddingSize = "embedding_size"
        case ropeTheta = "rope_theta", rmsNormEps = "rms_norm_eps", maxSequenceLength = "max_sequence_length"
        case weightTying = "weight_tying", maskTokenID = "mask_token_id", eosTokenID = "eos_token_id"
        case padTokenID = "pad_token_id"
    }

    /// `embedding_size` may pad the vocabulary but never shrink it.
    func validate(path: String) throws {
        guard vocabSize > 0 else { throw ModelError.invalidConfig(path: path, reason: "vocab_size \(vocabSize) must be positive") }
        if let embeddingSize, embeddingSize < vocabSize {
            throw ModelError.invalidConfig(path: path, reason: "embedding_size \(embeddingSize) is smaller than vocab_size \(vocabSize)")
        }
    }

    var modelConfig: ModelConfig {
        ModelConfig(family: .llada, hiddenSize: dModel, layerCount: nLayers, headCount: nHeads,
                    kvHeadCount: nKVHeads ?? nHeads, intermediateSize: mlpHiddenSize,
                    vocabularySize: max(embeddingSize ?? vocabSize, vocabSize), ropeTheta: ropeTheta ?? 10_000,
                    rmsNormEpsilon: rmsNormEps ?? 1e-5, maxSequenceLength: maxSequenceLength ?? 4096,
                    tiedEmbeddings: weightTying ?? false, qkvBias: false,
                    maskTokenID: maskTokenID, eosTokenID: eosTokenID, padTokenID: padTokenID)
    }
}

/// Dream's config.json (Qwen2 keys).
private struct DreamConfigFile: Decodable {
    var hiddenSize: Int
    var numHiddenLayers: Int
    var numAttentionHeads: Int
    var numKeyValueHeads: Int?
    var intermediateSize: Int
    var vocabSize: Int
    var ropeTheta: Double?
    var rmsNormEps: Float?
    var maxPositionEmbeddings: Int?
    var tieWordEmbeddings: Bool?
    var maskTokenID: Int?
    var eosTokenID: Int?
    var padTokenID: Int?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads"
        case intermediateSize = "intermediate_size", vocabSize = "vocab_size", ropeTheta = "rope_theta"
        case rmsNormEps = "rms_norm_eps", maxPositionEmbeddings = "max_position_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings", maskTokenID = "mask_token_id"
        case eosTokenID = "eos_token_id", padTokenID = "pad_token_id"
    }

    var modelConfig: ModelConfig {
        ModelConfig(family: .dream, hiddenSize: hiddenSize, layerCount: numHiddenLayers, headCount: numAttentionHeads,
                    kvHeadCount: numKeyValueHeads ?? numAttentionHeads, intermediateSize: intermediateSize,
                    vocabularySize: vocabSize, ropeTheta: ropeTheta ?? 10_000, rmsNormEpsilon: rmsNormEps ?? 1e-6,
                    maxSequenceLength: maxPositionEmbeddings ?? 2048, tiedEmbeddings: tieWordEmbeddings ?? false,
                    qkvBias: true, maskTokenID: maskTokenID, eosTokenID: eosTokenID, padTokenID: padTokenID)
    }
}
