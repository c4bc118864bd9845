/// Typed reads of a GGUF file's metadata: each names the key it wanted when it is absent or of
/// the wrong type.
struct GGUFMetadata {
    let file: GGUFFile
    var path: String { file.file.path }

    func integer(_ key: String, hint: String) throws(GGUFError) -> Int {
        guard let value = file[key] else { throw .missingKey(path: path, key: key, hint: hint) }
        return try integer(key, value)
    }

    func optionalInteger(_ key: String) throws(GGUFError) -> Int? {
        guard let value = file[key] else { return nil }
        return try integer(key, value)
    }

    func optionalNumber(_ key: String) throws(GGUFError) -> Double? {
        guard let value = file[key] else { return nil }
        guard let number = value.number, number.isFinite else {
            throw .wrongKeyType(path: path, key: key, expected: "a number", found: value.typeName)
        }
        return number
    }

    func optionalBool(_ key: String) throws(GGUFError) -> Bool? {
        guard let value = file[key] else { return nil }
        guard case .bool(let flag) = value else { throw .wrongKeyType(path: path, key: key, expected: "bool", found: value.typeName) }
        return flag
    }

    func optionalString(_ key: String) throws(GGUFError) -> String? {
        guard let value = file[key] else { return nil }
        guard let text = value.string else { throw .wrongKeyType(path: path, key: key, expected: "string", found: value.typeName) }
        return text
    }

    /// An array of strings (tokens, merges).
    func optionalStrings(_ key: String) throws(GGUFError) -> [String]? {
        try optionalArray(key, expected: "array of string") { $0.string }
    }

    /// An array of integers (token types).
    func optionalIntegers(_ key: String) throws(GGUFError) -> [Int]? {
        try optionalArray(key, expected: "array of integers") { $0.integer }
    }

    /// An array whose every item `element` can read; any other item is a wrong key type.
    private func optionalArray<Element>(_ key: String, expected: String,
                                        element: (GGUFValue) -> Element?) throws(GGUFError) -> [Element]? {
        guard let value = file[key] else { return nil }
        guard let items = value.array else { throw .wrongKeyType(path: path, key: key, expected: expected, found: value.typeName) }
        var elements: [Element] = []
        elements.reserveCapacity(items.count)
        for item in items {
            guard let read = element(item) else { throw .wrongKeyType(path: path, key: key, expected: expected, found: value.typeName) }
            elements.append(read)
        }
        return elements
    }

    private func integer(_ key: String, _ value: GGUFValue) throws(GGUFError) -> Int {
        if case .array = value {
            throw .unsupportedModel(path: path, what: "\(key) is a per-layer array; dllm-play runs models whose layers share one shape")
        }
        guard let n = value.integer else { throw .wrongKeyType(path: path, key: key, expected: "an integer", found: value.typeName) }
        return n
    }
}
