import Foundation

/// A value inside a parsed JSON document that remembers where it sits (`model.merges[12]`), so a
/// reader can throw errors that name the file and the place.
struct JSONNode {
    let value: Any
    let place: String
    let file: String

    static func parse(_ data: Data, file: String) throws(TokenizerError) -> JSONNode {
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONNode(value: value, place: "top level", file: file)
        } catch {
            throw .invalidJSON(file: file, reason: Self.shortReason(error))
        }
    }

    var isNull: Bool { value is NSNull }

    /// A member of an object; nil when absent or JSON null.
    func optional(_ key: String) throws(TokenizerError) -> JSONNode? {
        let members = try object()
        guard let member = members[key], !(member is NSNull) else { return nil }
        return JSONNode(value: member, place: childPlace(key), file: file)
    }

    func required(_ key: String, _ expected: String, hint: String) throws(TokenizerError) -> JSONNode {
        guard let member = try optional(key) else {
            throw .malformed(file: file, place: childPlace(key), expected: expected, found: "nothing", hint: hint)
        }
        return member
    }

    func object() throws(TokenizerError) -> [String: Any] {
        guard let members = value as? [String: Any] else { throw mismatch("an object") }
        return members
    }

    func array() throws(TokenizerError) -> [JSONNode] {
        guard let items = value as? [Any] else { throw mismatch("an array") }
        return items.enumerated().map { JSONNode(value: $1, place: "\(place)[\($0)]", file: file) }
    }

    func string() throws(TokenizerError) -> String {
        guard let text = value as? String else { throw mismatch("a string") }
        return text
    }

    func int() throws(TokenizerError) -> Int {
        guard let number = value as? NSNumber, !(value is String) else { throw mismatch("an integer") }
        let real = number.doubleValue
        guard real.rounded() == real, abs(real) < 1e15 else { throw mismatch("an integer") }
        return number.intValue
    }

    func bool() throws(TokenizerError) -> Bool {
        guard let number = value as? NSNumber else { throw mismatch("true or false") }
        return number.boolValue
    }

    /// The `type` member of a component object (`{"type": "BPE", ...}`).
    func typeName() throws(TokenizerError) -> String {
        try required("type", "a \"type\" string", hint: "every component object names its type").string()
    }

    func mismatch(_ expected: String, hint: String = "compare with a tokenizer.json saved by HF tokenizers") -> TokenizerError {
        .malformed(file: file, place: place, expected: expected, found: Self.describe(value), hint: hint)
    }

    func unsupported(_ what: String, hint: String) -> TokenizerError {
        .unsupportedFeature(feature: "\(place) \(what)", file: file, hint: hint)
    }

    private func childPlace(_ key: String) -> String {
        place == "top level" ? key : "\(place).\(key)"
    }

    static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let text as String: return "the string \"\(text.prefix(40))\""
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case let number as NSNumber: return "the number \(number)"
        default: return "\(type(of: value))"
        }
    }

    private static func shortReason(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}
