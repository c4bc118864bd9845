import Foundation

extension BenchReport {
    /// The report as the bench writes it: pretty-printed with sorted keys, arrays of numbers on one
    /// line (`JSONLayout.joinScalarArrays`), so a per-item decode order takes one line, not one per
    /// position.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Data(JSONLayout.joinScalarArrays(String(decoding: try encoder.encode(self), as: UTF8.self)).utf8)
    }
}

/// Layout of pretty-printed JSON text; the values are never changed.
public enum JSONLayout {
    /// Every array written one element per line whose elements are all numbers, `null`, `true` or
    /// `false`, joined onto its opening line: `"positions" : [\n  1,\n  null\n]` becomes
    /// `"positions" : [1, null]`. Arrays holding strings, objects or arrays are left as they are.
    public static func joinScalarArrays(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasSuffix("[") {
                var items: [String] = [], j = i + 1
                while j < lines.count {
                    let item = lines[j].trimmingCharacters(in: .whitespaces)
                    if item == "]" || item == "]," { break }
                    let value = item.hasSuffix(",") ? String(item.dropLast()) : item
                    guard isScalar(value) else { break }
                    items.append(value)
                    j += 1
                }
                if j < lines.count, !items.isEmpty {
                    let close = lines[j].trimmingCharacters(in: .whitespaces)
                    if close == "]" || close == "]," {
                        out.append(line + items.joined(separator: ", ") + close)
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(String(line))
            i += 1
        }
        return out.joined(separator: "\n")
    }

    private static func isScalar(_ value: String) -> Bool {
        value == "null" || value == "true" || value == "false" || (!value.isEmpty && Double(value) != nil && !value.hasPrefix("\""))
    }
}
