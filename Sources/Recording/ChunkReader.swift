import Foundation

/// Reads whatever has arrived on a file descriptor (up to `chunkBytes`), returning as soon as
/// anything is there, like `FileHandle.availableData` but throwing on a read error (a directory
/// given as standard input, a closed descriptor) where `availableData` stops the process.
public struct ChunkReader {
    public let fileDescriptor: Int32
    public let chunkBytes: Int

    public init(fileDescriptor: Int32, chunkBytes: Int = 1 << 16) {
        self.fileDescriptor = fileDescriptor
        self.chunkBytes = chunkBytes
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var code: Int32
        public var description: String { String(cString: strerror(code)) }
    }

    /// The next bytes; empty at the end of the input.
    public func next() throws(ReadError) -> Data {
        var buffer = Data(count: chunkBytes)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, chunkBytes) }
            if count >= 0 { return buffer.prefix(count) }
            if errno != EINTR { throw ReadError(code: errno) }
        }
    }
}
