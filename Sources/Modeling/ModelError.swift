import Foundation

/// Everything that can go wrong while reading a checkpoint or running it. Each case names the file
/// and tensor involved and what was expected versus found, so a message alone locates the fault.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    // Files and config.
    case fileUnreadable(path: String, reason: String)
    case malformedJSON(path: String, reason: String)
    case unknownFamily(path: String, modelType: String?, architectures: [String])
    case missingConfigKey(path: String, key: String)
    case invalidConfig(path: String, reason: String)
    case missingSpecialToken(name: String, searched: [String])

    // Safetensors.
    case fileTooSmall(path: String, size: Int)
    case headerBeyondFile(path: String, headerLength: UInt64, fileSize: Int)
    case malformedHeader(path: String, reason: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case offsetsOutOfBounds(path: String, tensor: String, begin: Int, end: Int, dataLength: Int)
    case byteLengthMismatch(path: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, foundBytes: Int)
    case truncatedFile(path: String, tensor: String, needed: Int, fileSize: Int)
    case missingShard(indexPath: String, shard: String, tensor: String)

    // Tensors against the config.
    case missingTensor(name: String, searched: [String])
    case unexpectedTensors(names: [String])
    case wrongShape(tensor: String, file: String, expected: [Int], found: [Int])

    // Forward requests.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason): "cannot read \(path): \(reason)"
        case let .malformedJSON(path, reason): "\(path): malformed JSON: \(reason)"
        case let .unknownFamily(path, modelType, architectures):
            "\(path): unknown model family (model_type \(modelType ?? "absent"), architectures \(architectures)); "
                + "expected LLaDA (\"llada\", LLaDAModelLM) or Dream (\"Dream\", DreamModel)"
        case let .missingConfigKey(path, key): "\(path): missing key \"\(key)\""
        case let .invalidConfig(path, reason): "\(path): \(reason)"
        case let .missingSpecialToken(name, searched): "no \(name) id found (searched \(searched.joined(separator: ", ")))"
        case let .fileTooSmall(path, size): "\(path): \(size) bytes, too small for a safetensors header"
        case let .headerBeyondFile(path, length, size): "\(path): header length \(length) runs beyond the file (\(size) bytes)"
        case let .malformedHeader(path, reason): "\(path): malformed safetensors header: \(reason)"
        case let .unknownDType(path, tensor, dtype): "\(path): tensor \(tensor) has unsupported dtype \(dtype) (F32, F16, BF16 only)"
        case let .offsetsOutOfBounds(path, tensor, begin, end, length):
            "\(path): tensor \(tensor) offsets [\(begin), \(end)) outside the data section of \(length) bytes"
        case let .byteLengthMismatch(path, tensor, shape, dtype, expected, found):
            "\(path): tensor \(tensor) \(dtype)\(shape) needs \(expected) bytes, offsets span \(found)"
        case let .truncatedFile(path, tensor, needed, size):
            "\(path): truncated: tensor \(tensor) needs the file to be \(needed) bytes, it is \(size)"
        case let .missingShard(index, shard, tensor): "\(index): shard \(shard) (for \(tensor)) does not exist"
        case let .missingTensor(name, searched): "missing tensor \(name) (searched \(searched.joined(separator: ", ")))"
        case let .unexpectedTensors(names): "unexpected tensors in checkpoint: \(names.prefix(8).joined(separator: ", "))"
                + (names.count > 8 ? " and \(names.count - 8) more" : "")
        case let .wrongShape(tensor, file, expected, found): "\(file): tensor \(tensor) has shape \(found), expected \(expected)"
        case let .invalidRequest(reason): "invalid forward request: \(reason)"
        }
    }
}
