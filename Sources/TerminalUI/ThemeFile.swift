import Foundation

/// Theme files: commented `key = value` lines (btop's `theme[key]="value"` is accepted too).
/// Unknown keys and bad values warn and are skipped; missing keys keep the built-in default.
public enum ThemeFile {
    public struct Parsed: Sendable {
        public var theme: Theme
        public var warnings: [String]
    }

    public static func parse(_ text: String, name: String, source: String) -> Parsed {
        var theme = Theme.builtIn
        theme.name = name
        var warnings: [String] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(source):\(offset + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                warnings.append("\(place): expected key = value; line ignored")
                continue
            }
            var key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("theme[") && key.hasSuffix("]") { key = String(key.dropFirst(6).dropLast()) }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard Theme.schema.contains(where: { $0.name == key }) else {
                warnings.append("\(place): unknown key \"\(key)\" ignored")
                continue
            }
            if !theme.set(key, value) {
                warnings.append("\(place): invalid value \"\(value)\" for \(key) (expected #RRGGBB, 0-255, a colour name or default); default kept")
            }
        }
        return Parsed(theme: theme, warnings: warnings)
    }

    /// Finds a theme by name (in `directories`, as NAME.theme) or by path, and parses it.
    /// "default" with no file found is the built-in theme.
    public static func load(_ nameOrPath: String, directories: [String]) throws -> Parsed {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme")
        let candidates = isPath ? [nameOrPath] : directories.map { "\($0)/\(nameOrPath).theme" }
        for path in candidates {
            if let data = FileManager.default.contents(atPath: path) {
                let name = isPath ? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent : nameOrPath
                return parse(String(decoding: data, as: UTF8.self), name: name, source: path)
            }
        }
        if nameOrPath == "default" { return Parsed(theme: .builtIn, warnings: []) }
        throw ThemeFileError.notFound(nameOrPath, candidates)
    }
}

public enum ThemeFileError: Error, CustomStringConvertible {
    case notFound(String, [String])
    public var description: String {
        switch self {
        case .notFound(let name, let paths): "theme \"\(name)\" not found (looked for \(paths.joined(separator: ", ")))"
        }
    }
}
