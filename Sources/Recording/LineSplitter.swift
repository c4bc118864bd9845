import Foundation

/// Splits a byte stream into lines as chunks arrive, in time linear in the input: each byte is
/// searched for a newline once, and a partial line is kept (not re-copied) until its newline comes.
/// A line longer than `maximumLineBytes` is not kept at all: it is reported as `.overlong` as soon
/// as it passes the cap (an endless input without a newline, /dev/zero, ends there) and the rest of
/// its bytes are dropped as they arrive, so memory stays bounded by the cap plus one chunk.
public struct LineSplitter: Sendable {
    public enum Piece: Sendable, Equatable {
        case line(Data)
        /// A line that exceeded the cap; how many bytes it held at least (the cap + 1).
        case overlong(Int)
    }

    public let maximumLineBytes: Int
    private var pending = Data()
    /// Bytes of `pending` already searched (none of them is a newline).
    private var searched = 0
    /// True while the rest of an overlong line (already reported) is being dropped.
    private var skipping = false

    public init(maximumLineBytes: Int = TrajectoryParser.maximumLineBytes) {
        self.maximumLineBytes = maximumLineBytes
    }

    public mutating func append(_ chunk: Data) -> [Piece] {
        var pieces: [Piece] = []
        var rest = chunk[...]
        while !rest.isEmpty {
            if skipping {
                // Drop up to the end of the overlong line.
                guard let newline = Self.newline(in: rest) else { return pieces }
                skipping = false
                rest = rest[(newline + 1)...]
                continue
            }
            pending.append(contentsOf: rest)
            rest = Data()[...]
            var start = 0
            while let newline = Self.newline(in: pending[(pending.startIndex + searched)...]) {
                let lineEnd = newline - pending.startIndex
                if lineEnd - start > maximumLineBytes {
                    pieces.append(.overlong(maximumLineBytes + 1))
                } else {
                    pieces.append(.line(Data(pending[(pending.startIndex + start)..<newline])))
                }
                start = lineEnd + 1
                searched = start
            }
            searched = pending.count
            if start > 0 {
                pending.removeSubrange(pending.startIndex..<(pending.startIndex + start))
                searched -= start
            }
            if pending.count > maximumLineBytes {
                pieces.append(.overlong(maximumLineBytes + 1))
                skipping = true
                pending = Data()
                searched = 0
            }
        }
        return pieces
    }

    /// What is left after the last newline (a line without its terminator), if anything.
    public mutating func finish() -> Piece? {
        defer { pending = Data(); searched = 0; skipping = false }
        return pending.isEmpty || skipping ? nil : .line(pending)
    }

    /// Index of the first newline in `bytes`, found with memchr.
    private static func newline(in bytes: Data.SubSequence) -> Data.Index? {
        guard !bytes.isEmpty else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let hit = memchr(base, 0x0A, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }.map { bytes.startIndex + $0 }
    }
}
