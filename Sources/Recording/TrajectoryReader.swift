import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// Reads a file (or a FIFO, a device) chunk by chunk through the parser: reading ends at the
    /// end of the input or at the first stop, so an endless input without a newline (/dev/zero)
    /// ends at the line cap instead of filling memory.
    public static func read(path: String) throws(TrajectoryError) -> Trajectory {
        let unreadable = { (found: String) in
            TrajectoryError(source: path, line: 0, expected: "a readable trajectory file (.jsonl)", found: found)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw unreadable("no such file") }
        guard !isDirectory.boolValue else { throw unreadable("a directory") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let reader = ChunkReader(fileDescriptor: descriptor, chunkBytes: 1 << 20)
        var parser = TrajectoryParser(source: path)
        var builder = TrajectoryBuilder()
        while !parser.isStopped {
            let chunk: Data
            do { chunk = try reader.next() } catch { throw unreadable(error.description) }
            if chunk.isEmpty { break }
            for line in try parser.consume(chunk) { builder.take(line) }
        }
        for line in try parser.finish() { builder.take(line) }
        return try builder.trajectory(parser)
    }

    public static func read(data: Data, source: String) throws(TrajectoryError) -> Trajectory {
        var parser = TrajectoryParser(source: source)
        var builder = TrajectoryBuilder()
        for line in try parser.consume(data) { builder.take(line) }
        for line in try parser.finish() { builder.take(line) }
        return try builder.trajectory(parser)
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

    func trajectory(_ parser: TrajectoryParser) throws(TrajectoryError) -> Trajectory {
        guard let header = parser.header else {
            throw TrajectoryError(source: parser.source, line: 1, expected: "a \(TrajectoryHeader.formatName) header line",
                                  found: "an empty input")
        }
        var trajectory = Trajectory(header: header, steps: steps, end: end, note: parser.stopNote)
        trajectory.isCutOff = parser.isCutOff
        return trajectory
    }
}
