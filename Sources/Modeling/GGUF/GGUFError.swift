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
            "\(path): tensor \(tensor) has ggml type \(typeID), which dllm-play does not read "
                + "(F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)"
        case let .invalidTensor(path, tensor, reason): "\(path): tensor \(tensor): \(reason)"
        }
    }
}
