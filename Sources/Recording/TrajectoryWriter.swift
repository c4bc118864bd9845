import Foundation

/// Writes a trajectory as JSON Lines (design §6): the header, one line per step, the end record.
/// Append-only; every line is written with one `write` call straight to the file descriptor, so a
/// killed run loses at most the step in flight. Keys are sorted so identical decodes give identical
/// files (except for wall times).
public final class TrajectoryWriter {
    private let handle: FileHandle
    private let closesHandle: Bool
    private let encoder = TrajectoryCoding.makeEncoder()
    public private(set) var linesWritten = 0

    /// Opens `path` as `OutputFile.open` does (a regular file is created or truncated in place;
    /// symlinks, FIFOs and devices are written through; a directory is refused); "-" writes to
    /// standard output.
    public init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            closesHandle = false
        } else {
            do { handle = try OutputFile.open(path) } catch { throw TrajectoryWriterError.cannotCreate(path, error.reason) }
            closesHandle = true
        }
    }

    /// Writes to an already open handle (a pipe, a socket); the caller keeps ownership.
    public init(handle: FileHandle) {
        self.handle = handle
        closesHandle = false
    }

    deinit {
        if closesHandle { try? handle.close() }
    }

    public func write(_ header: TrajectoryHeader) throws { try writeLine(header) }
    public func write(_ step: StepRecord) throws { try writeLine(step) }
    public func write(_ end: EndRecord) throws { try writeLine(end) }
    /// Any line: what a `Session` consumer that records its output passes on.
    public func write(_ line: TrajectoryLine) throws {
        switch line {
        case .header(let header): try write(header)
        case .step(let step): try write(step)
        case .end(let end): try write(end)
        }
    }

    /// One JSON object and a newline, as one write.
    public func writeLine<T: Encodable>(_ value: T) throws {
        var data = try encoder.encode(value)
        data.append(0x0A)
        try handle.write(contentsOf: data)
        linesWritten += 1
    }
}

public enum TrajectoryWriterError: Error, CustomStringConvertible {
    case cannotCreate(String, String)
    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): "cannot open trajectory file \(path) for writing: \(reason)"
        }
    }
}

/// The JSON settings both the writer and the reader use.
public enum TrajectoryCoding {
    static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return decoder
    }
}
