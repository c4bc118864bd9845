import Foundation

extension Tokenizer {
    /// Loads a tokenizer from a `tokenizer.json` file, or from an HF model folder holding one.
    /// For a folder, or a file named exactly `tokenizer.json`, the `tokenizer_config.json` and
    /// `config.json` beside it are read too when present, as further sources of the special ids.
    public static func load(from url: URL) throws(TokenizerError) -> Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(file: url.path, reason: "no such file or folder")
        }
        var tokenizerURL = url
        if isDirectory.boolValue {
            tokenizerURL = url.appendingPathComponent("tokenizer.json")
            guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
                throw .noTokenizerFile(directory: url.path)
            }
        }
        var configs: [String: JSONNode] = [:]
        if tokenizerURL.lastPathComponent == "tokenizer.json" {
            let folder = tokenizerURL.deletingLastPathComponent()
            for name in ["tokenizer_config.json", "config.json"] {
                let configURL = folder.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: configURL.path) else { continue }
                configs[name] = try JSONNode.parse(readFile(configURL), file: configURL.path)
            }
        }
        let definition = try TokenizerDefinition.read(readFile(tokenizerURL), file: tokenizerURL.path)
        return Tokenizer(definition: definition,
                         specialTokens: try resolveSpecialTokens(definition, tokenizerConfig: configs["tokenizer_config.json"],
                                                                 modelConfig: configs["config.json"]))
    }

    /// Loads a tokenizer from tokenizer.json bytes; `name` stands for the file in errors.
    public static func load(data: Data, name: String) throws(TokenizerError) -> Tokenizer {
        let definition = try TokenizerDefinition.read(data, file: name)
        return Tokenizer(definition: definition,
                         specialTokens: try resolveSpecialTokens(definition, tokenizerConfig: nil, modelConfig: nil))
    }

    private static func readFile(_ url: URL) throws(TokenizerError) -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Each role takes, in order: a known token string of the supported families present in the
    /// tokenizer; the token named in tokenizer_config.json; the id in config.json.
    private static func resolveSpecialTokens(_ definition: TokenizerDefinition, tokenizerConfig: JSONNode?,
                                             modelConfig: JSONNode?) throws(TokenizerError) -> SpecialTokenIDs {
        let ids = definition.idsByPiece
        let size = definition.pieces.count
        func known(_ names: [String]) -> Int? { names.lazy.compactMap { ids[$0] }.first }
        func named(_ key: String) throws(TokenizerError) -> Int? {
            guard let node = try tokenizerConfig?.optional(key) else { return nil }
            if let text = node.value as? String { return ids[text] }
            if let content = try node.optional("content")?.string() { return ids[content] }
            return nil
        }
        func configured(_ key: String) throws(TokenizerError) -> Int? {
            guard let node = try modelConfig?.optional(key) else { return nil }
            let id = try (node.value is [Any]) ? node.array().first?.int() : node.int()
            guard let id, id >= 0, id < size else { return nil }
            return id
        }
        func resolve(_ names: [String], _ tokenKey: String, _ idKey: String) throws(TokenizerError) -> Int? {
            if let id = known(names) { return id }
            if let id = try named(tokenKey) { return id }
            return try configured(idKey)
        }
        let mask = try resolve(SpecialTokenIDs.knownMaskTokens, "mask_token", "mask_token_id")
        let endOfText = try resolve(SpecialTokenIDs.knownEndOfTextTokens, "eos_token", "eos_token_id")
        let beginOfText = try resolve(SpecialTokenIDs.knownBeginOfTextTokens, "bos_token", "bos_token_id")
        let endOfTurn = known(SpecialTokenIDs.knownEndOfTurnTokens)
        let marked = Set(definition.addedTokens.filter(\.special).map(\.id))
        return SpecialTokenIDs(mask: mask, endOfText: endOfText, endOfTurn: endOfTurn, beginOfText: beginOfText,
                               allSpecial: marked, source: definition.file)
    }
}
