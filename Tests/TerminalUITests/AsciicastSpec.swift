import Foundation

/// A checker for the asciicast formats as published at docs.asciinema.org (manual/asciicast/v2 and
/// v3): every header attribute's name and type, every event's shape, code and data. It returns the
/// violations it found, one line each (empty when the file conforms), so a test can show them all.
///
/// v3: header `version` 3, `term` {`cols`, `rows` (positive integers), optional `type`, `version`
/// (strings) and `theme`}; optional `timestamp` (integer), `idle_time_limit` (number), `command`,
/// `title` (strings), `env` (string → string), `tags` (strings). Events `[interval, code, data]`:
/// interval a number ≥ 0 (seconds since the previous event), code one of o i m r x, data a string;
/// `r` data is COLSxROWS, `x` data an exit status (integer). Lines starting with `#` are comments.
///
/// v2: header `version` 2, `width` and `height` (positive integers); optional `timestamp`
/// (integer), `duration`, `idle_time_limit` (numbers), `command`, `title` (strings), `env` (string →
/// string), `theme`. Events `[time, code, data]`: time a number ≥ 0 of seconds since the start,
/// never decreasing; code one of o i m r. No comments.
///
/// Theme (both): `fg` and `bg` as #rrggbb, `palette` 8 or 16 #rrggbb colours joined by ":".
enum AsciicastSpec {
    static func violations(_ text: String, version: Int) -> [String] {
        var problems: [String] = []
        guard text.hasSuffix("\n") else { return ["the file does not end with a newline"] }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, !first.hasPrefix("#") else { return ["the first line must be the header, not a comment"] }
        guard let header = object(first) else { return ["line 1: the header is not a JSON object"] }
        problems += version == 3 ? headerV3(header) : headerV2(header)
        var previousTime = 0.0, exitLine: Int?
        for (index, line) in lines.enumerated().dropFirst() {
            let where_ = "line \(index + 1)"
            if line.hasPrefix("#") {
                if version == 2 { problems.append("\(where_): comments are not part of asciicast v2") }
                continue
            }
            if let exitLine { problems.append("\(where_): an event after the exit event on line \(exitLine)"); break }
            guard let event = Event(line) else {
                problems.append("\(where_): not a [number, string, string] array")
                continue
            }
            if !(event.time >= 0) { problems.append("\(where_): time \(event.time) is negative") }
            if version == 2 {
                if event.time < previousTime { problems.append("\(where_): time \(event.time) goes back from \(previousTime)") }
                previousTime = event.time
            }
            let codes = version == 3 ? ["o", "i", "m", "r", "x"] : ["o", "i", "m", "r"]
            guard codes.contains(event.code) else {
                problems.append("\(where_): event code '\(event.code)' is not one of \(codes.joined(separator: " "))")
                continue
            }
            if event.code == "r", !isSize(event.data) { problems.append("\(where_): resize data '\(event.data)' is not COLSxROWS") }
            if event.code == "x" {
                if Int(event.data) == nil { problems.append("\(where_): exit status '\(event.data)' is not an integer") }
                exitLine = index + 1
            }
        }
        return problems
    }

    /// One `[time, code, data]` event, decoded with JSONDecoder so types are strict (a string or a
    /// boolean is not a number).
    struct Event: Decodable {
        var time: Double, code: String, data: String
        init(from decoder: Decoder) throws {
            var items = try decoder.unkeyedContainer()
            time = try items.decode(Double.self)
            code = try items.decode(String.self)
            data = try items.decode(String.self)
            guard items.isAtEnd else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "more than 3 items")) }
        }
        init?(_ line: String) {
            guard let event = try? JSONDecoder().decode(Event.self, from: Data(line.utf8)) else { return nil }
            self = event
        }
    }

    private static func headerV3(_ header: [String: JSONValue]) -> [String] {
        var problems = unknownKeys(header, allowed: ["version", "term", "timestamp", "idle_time_limit", "command", "title", "env", "tags"])
        if header["version"] != .integer(3) { problems.append("header: version must be the integer 3") }
        if case .object(let term)? = header["term"] {
            problems += unknownKeys(term, allowed: ["cols", "rows", "type", "version", "theme"], where: "header.term")
            for key in ["cols", "rows"] where !isPositiveInteger(term[key]) { problems.append("header.term.\(key) must be a positive integer") }
            for key in ["type", "version"] where term[key] != nil && !isString(term[key]) { problems.append("header.term.\(key) must be a string") }
            if let theme = term["theme"] { problems += themeProblems(theme, where: "header.term.theme") }
        } else {
            problems.append("header: term must be an object with cols and rows")
        }
        if let tags = header["tags"] {
            if case .array(let items) = tags, items.allSatisfy(isString) {} else { problems.append("header: tags must be strings") }
        }
        return problems + common(header)
    }

    private static func headerV2(_ header: [String: JSONValue]) -> [String] {
        var problems = unknownKeys(header, allowed: ["version", "width", "height", "timestamp", "duration", "idle_time_limit",
                                                     "command", "title", "env", "theme"])
        if header["version"] != .integer(2) { problems.append("header: version must be the integer 2") }
        for key in ["width", "height"] where !isPositiveInteger(header[key]) { problems.append("header: \(key) must be a positive integer") }
        if let duration = header["duration"], !isNumber(duration) { problems.append("header: duration must be a number") }
        if let theme = header["theme"] { problems += themeProblems(theme, where: "header.theme") }
        return problems + common(header)
    }

    /// Attributes both versions share.
    private static func common(_ header: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        if let timestamp = header["timestamp"], case .integer = timestamp {} else if header["timestamp"] != nil {
            problems.append("header: timestamp must be an integer (Unix seconds)")
        }
        if let limit = header["idle_time_limit"], !isNumber(limit) { problems.append("header: idle_time_limit must be a number") }
        for key in ["command", "title"] where header[key] != nil && !isString(header[key]) { problems.append("header: \(key) must be a string") }
        if let env = header["env"] {
            if case .object(let values) = env, values.values.allSatisfy(isString) {} else { problems.append("header: env must map strings to strings") }
        }
        return problems
    }

    private static func themeProblems(_ theme: JSONValue, where place: String) -> [String] {
        guard case .object(let fields) = theme else { return ["\(place) must be an object"] }
        var problems = unknownKeys(fields, allowed: ["fg", "bg", "palette"], where: place)
        for key in ["fg", "bg"] {
            if case .string(let colour)? = fields[key], isColour(colour) {} else { problems.append("\(place).\(key) must be #rrggbb") }
        }
        if case .string(let palette)? = fields["palette"] {
            let colours = palette.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if ![8, 16].contains(colours.count) || !colours.allSatisfy(isColour) { problems.append("\(place).palette must be 8 or 16 #rrggbb colours") }
        } else {
            problems.append("\(place).palette must be a string")
        }
        return problems
    }

    private static func unknownKeys(_ object: [String: JSONValue], allowed: Set<String>, where place: String = "header") -> [String] {
        object.keys.filter { !allowed.contains($0) }.sorted().map { "\(place): '\($0)' is not an attribute of the format" }
    }

    private static func isPositiveInteger(_ value: JSONValue?) -> Bool { if case .integer(let n)? = value { n > 0 } else { false } }
    private static func isString(_ value: JSONValue?) -> Bool { if case .string? = value { true } else { false } }
    private static func isNumber(_ value: JSONValue) -> Bool {
        switch value { case .integer, .number: true; default: false }
    }
    private static func isColour(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
    private static func isSize(_ text: String) -> Bool {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0).map { $0 > 0 } == true }
    }

    private static func object(_ line: String) -> [String: JSONValue]? {
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)) else { return nil }
        return fields
    }
}

/// A JSON value that keeps integers apart from other numbers (the formats require integers in
/// places), decoded strictly: `true` is not 1 and `3.0` written as such is not the integer 3.
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}
