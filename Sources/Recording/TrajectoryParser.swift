import Foundation

/// One parsed line of a trajectory.
public enum TrajectoryLine: Sendable, Equatable {
    case header(TrajectoryHeader)
    case step(StepRecord)
    case end(EndRecord)
}

/// A trajectory that cannot be read at all (its header is missing or wrong).
public struct TrajectoryError: Error, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var expected: String
    public var found: String
    public var hint: String

    public static let defaultHint = "a trajectory is the JSON Lines file `run --record` or `play --record` writes"

    public init(source: String, line: Int, expected: String, found: String, hint: String = TrajectoryError.defaultHint) {
        self.source = source
        self.line = line
        self.expected = expected
        self.found = found
        self.hint = hint
    }

    /// "FILE:LINE: expected ...; found ... (hint: ...)" (no line number for a file that could not
    /// be read at all).
    public var description: String { "\(source)\(line > 0 ? ":\(line)" : ""): expected \(expected); found \(found) (hint: \(hint))" }
}

/// Parses a trajectory line by line; input is untrusted. The first line must be a valid header
/// (otherwise `TrajectoryError`); a later line that is not a valid step or end record stops the
/// parse with a note saying where and why, keeping everything before it. "Valid" covers the
/// numbers (`TrajectoryValidation`) and the canvas: every step is applied to a canvas here, so
/// every reader (a file, standard input, export) keeps exactly the same steps and stops with the
/// same note.
public struct TrajectoryParser {
    public let source: String
    public private(set) var lineNumber = 0
    public private(set) var header: TrajectoryHeader?
    public private(set) var ended = false
    /// Set once the parser has stopped on a bad line; later lines are ignored.
    public private(set) var stopNote: String?
    /// True when the stop is only a cut-off last line (a killed or still-running writer): every
    /// complete line was valid. Any other stop means the input holds invalid data.
    public private(set) var isCutOff = false
    private let decoder = TrajectoryCoding.makeDecoder()
    private var splitter: LineSplitter
    private var validation: TrajectoryValidation?
    /// The canvas after every accepted step (steps are checked against it).
    public private(set) var canvas: Canvas?

    /// Lines longer than this are rejected rather than decoded.
    public static let maximumLineBytes = 64 << 20
    /// Largest canvas a header may declare: 16× the context of LLaDA-8B. A canvas costs ~130 bytes
    /// a position (and a replay keeps a few), so a short header must not commit gigabytes.
    public static let maximumCanvasLength = 1 << 16

    public init(source: String, maximumLineBytes: Int = Self.maximumLineBytes) {
        self.source = source
        splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
    }

    /// Parses every complete line in `chunk` (the rest waits for the next chunk). Once stopped,
    /// input is discarded unread.
    public mutating func consume(_ chunk: Data) throws(TrajectoryError) -> [TrajectoryLine] {
        guard !isStopped else { return [] }
        var lines: [TrajectoryLine] = []
        for piece in splitter.append(chunk) where !isStopped {
            if let line = try parse(piece, isFinal: false) { lines.append(line) }
        }
        return lines
    }

    /// Parses what is left after the last newline, at the end of the input.
    public mutating func finish() throws(TrajectoryError) -> [TrajectoryLine] {
        guard !isStopped, let piece = splitter.finish() else { return [] }
        return try parse(piece, isFinal: true).map { [$0] } ?? []
    }

    private mutating func parse(_ piece: LineSplitter.Piece, isFinal: Bool) throws(TrajectoryError) -> TrajectoryLine? {
        switch piece {
        case .line(let line):
            return try parse(line: line, isFinal: isFinal)
        case .overlong(let count):
            lineNumber += 1
            let expected = "lines of at most \(splitter.maximumLineBytes) bytes"
            guard header != nil else {
                throw TrajectoryError(source: source, line: lineNumber, expected: expected, found: "a line of \(count) bytes or more")
            }
            stop("stopped at line \(lineNumber): a line of \(count) bytes or more (at most \(splitter.maximumLineBytes) are read)")
            return nil
        }
    }

    public var isStopped: Bool { stopNote != nil }

    /// Parses one line (without its newline). Blank lines are skipped. `isFinal` marks a last line
    /// that had no newline: if it does not parse it is reported as truncated.
    public mutating func parse(line: Data, isFinal: Bool = false) throws(TrajectoryError) -> TrajectoryLine? {
        lineNumber += 1
        guard stopNote == nil else { return nil }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        guard header != nil else { return .header(try parseHeader(line, isFinal: isFinal)) }
        if ended {
            stop("stopped at line \(lineNumber): content after the end record")
            return nil
        }
        guard line.count <= Self.maximumLineBytes else {
            stop("stopped at line \(lineNumber): line longer than \(Self.maximumLineBytes) bytes")
            return nil
        }
        if let step = try? decoder.decode(StepRecord.self, from: line) {
            do {
                try validation?.check(step)
                try canvas?.apply(step)
            } catch {
                stop("stopped at line \(lineNumber) (step \(step.step)): \(error)")
                return nil
            }
            return .step(step)
        }
        if let end = try? decoder.decode(EndRecord.self, from: line) {
            do throws(TrajectoryValidation.Failure) {
                try validation?.check(end)
            } catch {
                stop("stopped at line \(lineNumber): \(error)")
                return nil
            }
            ended = true
            return .end(end)
        }
        if isFinal {
            stop("stopped at line \(lineNumber): the last line is incomplete (the file was cut off or is still being written)")
            isCutOff = true
        } else {
            stop("stopped at line \(lineNumber): expected a step or end record; \(Self.explain(line, as: StepRecord.self, decoder))")
        }
        return nil
    }

    /// Notes a problem found outside the parser (e.g. an event the canvas rejects) and stops.
    public mutating func stop(_ note: String) {
        if stopNote == nil { stopNote = note }
    }

    private mutating func parseHeader(_ line: Data, isFinal: Bool) throws(TrajectoryError) -> TrajectoryHeader {
        let expected = "a \(TrajectoryHeader.formatName) header (JSON object with format, version, promptTokens, canvasLength, ...)"
        guard line.count <= Self.maximumLineBytes else {
            throw TrajectoryError(source: source, line: lineNumber, expected: expected, found: "a line of \(line.count) bytes")
        }
        struct Probe: Decodable { var format: String?; var version: Int? }
        guard let probe = try? decoder.decode(Probe.self, from: line) else {
            if isFinal, line.first == UInt8(ascii: "{") {
                throw TrajectoryError(source: source, line: lineNumber, expected: expected,
                                      found: "an incomplete line of \(line.count) bytes (the input was cut off)")
            }
            throw TrajectoryError(source: source, line: lineNumber, expected: expected, found: "text that is not a JSON object: \(Self.preview(line))")
        }
        guard probe.format == TrajectoryHeader.formatName else {
            throw TrajectoryError(source: source, line: lineNumber, expected: "format \"\(TrajectoryHeader.formatName)\"",
                                  found: probe.format.map { "format \"\($0)\"" } ?? "no format field")
        }
        guard let version = probe.version, (1...TrajectoryHeader.currentVersion).contains(version) else {
            throw TrajectoryError(source: source, line: lineNumber, expected: "version 1...\(TrajectoryHeader.currentVersion)",
                                  found: probe.version.map { "version \($0)" } ?? "no version field")
        }
        let header: TrajectoryHeader
        do {
            header = try decoder.decode(TrajectoryHeader.self, from: line)
        } catch {
            throw TrajectoryError(source: source, line: lineNumber, expected: expected, found: Self.describe(error))
        }
        guard header.canvasLength >= header.promptTokens.count, header.canvasLength <= Self.maximumCanvasLength else {
            throw TrajectoryError(source: source, line: lineNumber,
                                  expected: "canvasLength between the prompt length (\(header.promptTokens.count)) and \(Self.maximumCanvasLength)",
                                  found: "canvasLength \(header.canvasLength)")
        }
        do throws(TrajectoryValidation.Failure) {
            try TrajectoryValidation.check(header)
        } catch {
            throw TrajectoryError(source: source, line: lineNumber, expected: "header values in range", found: error.description)
        }
        self.header = header
        validation = TrajectoryValidation(header: header)
        canvas = Canvas(header: header)
        return header
    }

    static func explain<T: Decodable>(_ line: Data, as type: T.Type, _ decoder: JSONDecoder) -> String {
        do {
            _ = try decoder.decode(type, from: line)
            return "unreadable line"
        } catch {
            return describe(error)
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(let type, let context): return "wrong type\(path(context)) (wanted \(type))"
        case .valueNotFound(_, let context): return "null value\(path(context))"
        case .dataCorrupted(let context): return "invalid data\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func preview(_ line: Data) -> String {
        let text = String(decoding: line.prefix(40), as: UTF8.self)
        return "\"\(text)\(line.count > 40 ? "…" : "")\""
    }
}
