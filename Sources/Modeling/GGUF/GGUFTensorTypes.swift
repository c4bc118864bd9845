/// The ggml types as the engine's element types: a GGUF tensor becomes a `TensorSlice` of the
/// same dtype, so `WeightMatrix` dequantizes it row by row like it widens bf16.
extension TensorDType {
    public init(_ type: GGMLType) {
        switch type {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        case .q5_0: self = .q5_0
        case .q5_1: self = .q5_1
        case .q4_K: self = .q4_K
        case .q5_K: self = .q5_K
        case .q6_K: self = .q6_K
        }
    }

    public var ggmlType: GGMLType {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q5_0: .q5_0
        case .q5_1: .q5_1
        case .q4_K: .q4_K
        case .q5_K: .q5_K
        case .q6_K: .q6_K
        }
    }
}
