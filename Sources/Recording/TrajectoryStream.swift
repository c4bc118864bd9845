import Foundation

/// Follows a trajectory as it is written (standard input, a pipe, a growing file): a background
/// thread reads and parses lines; the UI thread collects what has arrived with `drain()` and never
/// waits. The lock guards the only state the two threads share.
public final class TrajectoryStream: @unchecked Sendable {
    public enum Update: Sendable, Equatable {
        case line(TrajectoryLine)
        /// Reading stopped early; the text says where and why.
        case note(String)
        /// The header was unreadable; nothing can be shown.
        case failed(String)
        /// The writer closed the stream.
        case closed
    }

    private let lock = NSLock()
    private var pending: [Update] = []
    private let handle: FileHandle
    private let source: String

    public init(handle: FileHandle, source: String) {
        self.handle = handle
        self.source = source
    }

    /// Starts the reading thread.
    public func start() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "trajectory-stream"
        thread.start()
    }

    /// Everything that arrived since the last call, oldest first.
    public func drain() -> [Update] {
        lock.lock()
        defer { lock.unlock() }
        let updates = pending
        pending.removeAll(keepingCapacity: true)
        return updates
    }

    private func post(_ updates: [Update]) {
        guard !updates.isEmpty else { return }
        lock.lock()
        pending.append(contentsOf: updates)
        lock.unlock()
    }

    private func readLoop() {
        var parser = TrajectoryParser(source: source)
        let reader = ChunkReader(fileDescriptor: handle.fileDescriptor)
        do {
            while !parser.isStopped {  // after a stop nothing more is read (an endless input ends)
                let chunk = try reader.next()
                if chunk.isEmpty { break }
                post(try parser.consume(chunk).map { .line($0) })
            }
            post(try parser.finish().map { .line($0) })
        } catch let error as TrajectoryError {
            post([.failed(error.description)])
            return
        } catch {
            post([.failed("\(source): cannot read: \(error)")])
            return
        }
        if parser.header == nil {
            post([.failed(TrajectoryError(source: source, line: 1, expected: "a \(TrajectoryHeader.formatName) header line",
                                          found: "an empty input").description)])
            return
        }
        if let note = parser.stopNote { post([.note(note)]) }
        post([.closed])
    }
}
