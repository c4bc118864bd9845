/// What can be wrong with a GGUF file. Every case names the file, the byte offset or the key or
/// tensor at fault, what was expected, and what was found.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    case notGGUF(path: String, magic: String)
    case unsupportedVersion(path: String, version: UInt32)
    /// A read of `needed` bytes at `offset` for `what` runs past the end of the file.
    case truncated(path: String, offset: Int, what: String, needed: Int, fileSize: Int)
    /// A count, length or value that cannot be right (`what` says which and why).
    case invalidValue(path: String, offset: Int, what: String, reason: String)
    case duplicateKey(path: String, key: String)
    case wrongKeyType(path: String, key: String, expected: String, found: String)
    case duplicateTensor(path: String, tensor: String)
    case unsupportedTensorType(path: String, tensor: String, typeID: UInt32)
    case invalidTensor(path: String, tensor: String, reason: String)

    // The file as a model.
    case unsupportedArchitecture(path: String, architecture: String)
    case missingKey(path: String, key: String, hint: String)
    /// A model feature dllm-play does not run (`what` names it).
    case unsupportedModel(path: String, what: String)
    case missingTensor(path: String, tensor: String)
    case wrongShape(path: String, tensor: String, expected: [Int], found: [Int])
    case unexpectedTensors(path: String, tensors: [String])
    /// A tokenizer whose ids dllm-play cannot reproduce (`reason` names the key and value).
    case unsupportedTokenizer(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notGGUF(path, magic):
            "\(path): not a GGUF file (magic \(magic), expected \"GGUF\"); hint: pass a .gguf file or an HF model folder"
        case let .unsupportedVersion(path, version):
            "\(path): GGUF version \(version) is not supported (2 or 3); hint: re-export with a current llama.cpp"
        case let .truncated(path, offset, what, needed, size):
            "\(path): truncated at byte \(offset): \(what) needs \(needed) bytes, the file has \(size); hint: the download may be incomplete"
        case let .invalidValue(path, offset, what, reason): "\(path): byte \(offset): \(what): \(reason)"
        case let .duplicateKey(path, key): "\(path): metadata key \"\(key)\" appears twice"
        case let .wrongKeyType(path, key, expected, found): "\(path): metadata key \"\(key)\" is \(found), expected \(expected)"
        case let .duplicateTensor(path, tensor): "\(path): tensor \(tensor) appears twice"
        case let .unsupportedTensorType(path, tensor, typeID):
            "\(path): tensor \(tensor) has ggml type \(typeID)\(Self.ggmlTypeNames[typeID].map { " (\($0))" } ?? ""), which dllm-play does not read "
                + "(F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)"
        case let .invalidTensor(path, tensor, reason): "\(path): tensor \(tensor): \(reason)"
        case let .unsupportedArchitecture(path, architecture):
            "\(path): general.architecture \"\(architecture)\" is not one dllm-play runs (llada, dream); "
                + "hint: convert a LLaDA or Dream checkpoint with llama.cpp's convert_hf_to_gguf.py"
        case let .missingKey(path, key, hint): "\(path): missing metadata key \(key); hint: \(hint)"
        case let .unsupportedModel(path, what): "\(path): \(what)"
        case let .missingTensor(path, tensor): "\(path): missing tensor \(tensor) (hint: the file is incomplete or of another layout)"
        case let .wrongShape(path, tensor, expected, found):
            "\(path): tensor \(tensor) has shape \(found) ([rows, columns]), expected \(expected) from the metadata"
        case let .unexpectedTensors(path, tensors):
            "\(path): tensors no llada/dream model has: \(tensors.prefix(8).joined(separator: ", "))"
                + (tensors.count > 8 ? " and \(tensors.count - 8) more" : "")
        case let .unsupportedTokenizer(path, reason):
            "\(path): cannot reproduce the tokenizer: \(reason)"
        }
    }

    /// ggml's names of the types it defines that dllm-play does not read, for the message.
    static let ggmlTypeNames: [UInt32: String] = [
        9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL",
        21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M",
        34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
    ]
}
