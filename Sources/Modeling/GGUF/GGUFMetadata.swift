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
        guard let value = file[key] else { return nil }
        guard let items = value.array else { throw .wrongKeyType(path: path, key: key, expected: "array of string", found: value.typeName) }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard let text = item.string else {
                throw .wrongKeyType(path: path, key: key, expected: "array of string", found: value.typeName)
            }
            strings.append(text)
        }
        return strings
    }

    /// An array of integers (token types).
    func optionalIntegers(_ key: String) throws(GGUFError) -> [Int]? {
        guard let value = file[key] else { return nil }
        guard let items = value.array else { throw .wrongKeyType(path: path, key: key, expected: "array of integers", found: value.typeName) }
        var numbers: [Int] = []
        numbers.reserveCapacity(items.count)
        for item in items {
            guard let n = item.integer else {
                throw .wrongKeyType(path: path, key: key, expected: "array of integers", found: value.typeName)
            }
            numbers.append(n)
        }
        return numbers
    }

    private func integer(_ key: String, _ value: GGUFValue) throws(GGUFError) -> Int {
        if case .array = value {
            throw .unsupportedModel(path: path, what: "\(key) is a per-layer array; dllm-play runs models whose layers share one shape")
        }
        guard let n = value.integer else { throw .wrongKeyType(path: path, key: key, expected: "an integer", found: value.typeName) }
        return n
    }
}
