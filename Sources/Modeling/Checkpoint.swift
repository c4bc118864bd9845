import Foundation

/// All tensors of a checkpoint folder: `model.safetensors`, or the shards named by
/// `model.safetensors.index.json` (`{"weight_map": {tensor: shard file}}`). Every file is mapped.
public struct Checkpoint: Sendable {
    public let directory: URL
    /// The mapped files, sorted by name.
    public let files: [SafetensorsFile]
    public let tensors: [String: TensorSlice]
    /// The GGUF file the tensors come from, for a checkpoint read from one (`files` is then empty).
    public private(set) var gguf: GGUFFile? = nil

    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"

    public init(directory: URL) throws {
        self.directory = directory
        let fm = FileManager.default
        let indexURL = directory.appendingPathComponent(Self.indexFileName)
        if fm.fileExists(atPath: indexURL.path) {
            let weightMap = try Self.readIndex(indexURL)
            for (tensor, shard) in weightMap.sorted(by: { $0.key < $1.key })
            where shard.contains("/") || !fm.fileExists(atPath: directory.appendingPathComponent(shard).path) {
                throw ModelError.missingShard(indexPath: indexURL.path, shard: shard, tensor: tensor)
            }
            let shardNames = Array(Set(weightMap.values)).sorted()
            files = try shardNames.map { try SafetensorsFile(path: directory.appendingPathComponent($0).path) }
            var tensors: [String: TensorSlice] = [:]
            for file in files { tensors.merge(file.tensors) { first, _ in first } }
            for (tensor, shard) in weightMap where tensors[tensor]?.file.path.hasSuffix("/" + shard) != true {
                throw ModelError.missingTensor(name: tensor, searched: [directory.appendingPathComponent(shard).path])
            }
            self.tensors = tensors
        } else {
            let single = directory.appendingPathComponent(Self.singleFileName)
            guard fm.fileExists(atPath: single.path) else {
                throw ModelError.fileUnreadable(path: single.path, reason: "neither \(Self.singleFileName) nor \(Self.indexFileName) exists")
            }
            let file = try SafetensorsFile(path: single.path)
            files = [file]
            tensors = file.tensors
        }
    }

    /// A checkpoint made of files already mapped (e.g. in memory).
    public init(files: [SafetensorsFile], directory: URL) {
        self.directory = directory
        self.files = files
        var tensors: [String: TensorSlice] = [:]
        for file in files { tensors.merge(file.tensors) { first, _ in first } }
        self.tensors = tensors
    }

    /// Total bytes of the weight files.
    public var totalBytes: Int { files.reduce(0) { $0 + $1.file.size } + (gguf?.file.size ?? 0) }

    /// A checkpoint whose tensors, named as in HF folders, live in one GGUF file.
    init(gguf: GGUFFile, tensors: [String: TensorSlice]) {
        directory = URL(fileURLWithPath: gguf.file.path)
        files = []
        self.tensors = tensors
        self.gguf = gguf
    }

    /// The paths of the mapped files, for messages.
    public var paths: [String] { files.map(\.file.path) + (gguf.map { [$0.file.path] } ?? []) }

    private static func readIndex(_ url: URL) throws -> [String: String] {
        struct Index: Decodable {
            var weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode(Index.self, from: data).weightMap } catch {
            throw ModelError.malformedJSON(path: url.path, reason: "\(error)")
        }
    }
}
