import Foundation

/// A whole trajectory read from a file or a finished stream.
public struct Trajectory: Sendable, Equatable {
    public var header: TrajectoryHeader
    public var steps: [StepRecord]
    public var end: EndRecord?
    /// Where and why reading stopped early, if it did.
    public var note: String?
    /// The note is only a cut-off last line (see `TrajectoryParser.isCutOff`).
    public var isCutOff = false
    /// The input stopped on invalid data (not merely cut off).
    public var hasInvalidData: Bool { note != nil && !isCutOff }

    public init(header: TrajectoryHeader, steps: [StepRecord] = [], end: EndRecord? = nil, note: String? = nil) {
        self.header = header
        self.steps = steps
        self.end = end
        self.note = note
    }
}

/// Reads trajectories written by `TrajectoryWriter`.
public enum TrajectoryReader {
    public static func read(path: String) throws -> Trajectory {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        guard exists, !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            let found = !exists ? "no such file" : isDirectory.boolValue ? "a directory" : "a file that cannot be read (permissions?)"
            throw TrajectoryError(source: path, line: 0, expected: "a readable trajectory file (.jsonl)", found: found)
        }
        return try read(data: data, source: path)
    }

    public static func read(data: Data, source: String) throws(TrajectoryError) -> Trajectory {
        var parser = TrajectoryParser(source: source)
        var builder = TrajectoryBuilder()
        for line in try parser.consume(data) { builder.take(line) }
        for line in try parser.finish() { builder.take(line) }
        guard let header = parser.header else {
            throw TrajectoryError(source: source, line: 1, expected: "a \(TrajectoryHeader.formatName) header line", found: "an empty input")
        }
        var trajectory = Trajectory(header: header, steps: builder.steps, end: builder.end, note: parser.stopNote)
        trajectory.isCutOff = parser.isCutOff
        return trajectory
    }

    /// Encodes a trajectory as JSON Lines text (the same bytes `TrajectoryWriter` produces).
    public static func encode(_ trajectory: Trajectory) throws -> Data {
        let encoder = TrajectoryCoding.makeEncoder()
        var data = Data()
        func line<T: Encodable>(_ value: T) throws {
            data.append(try encoder.encode(value))
            data.append(0x0A)
        }
        try line(trajectory.header)
        for step in trajectory.steps { try line(step) }
        if let end = trajectory.end { try line(end) }
        return data
    }
}

private struct TrajectoryBuilder {
    var steps: [StepRecord] = []
    var end: EndRecord?

    mutating func take(_ line: TrajectoryLine) {
        switch line {
        case .step(let step): steps.append(step)
        case .end(let record): end = record
        case .header: break
        }
    }
}
