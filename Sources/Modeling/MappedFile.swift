import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. Pages are read by the OS as they are touched, so a
/// 16 GB checkpoint costs address space, not RAM. The map lives as long as this object.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    /// Start of the mapping (nil for an empty file).
    public let bytes: UnsafeRawPointer?
    /// True when the map is a read-only private map of a file, whose pages the OS can drop and
    /// read again from the file; false for anonymous memory, where dropping a page loses its data.
    public let isFileBacked: Bool

    public init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ModelError.fileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.size = Int(info.st_size)
        isFileBacked = true
        if size == 0 {
            bytes = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw ModelError.fileUnreadable(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawPointer(address)
    }

    /// Anonymous memory of `size` bytes, filled once by `fill` and then made read-only; used to
    /// build an in-memory checkpoint (random weights for benchmarks) that loads like a file.
    public init(anonymousSize size: Int, name: String, fill: (UnsafeMutableRawPointer) -> Void) throws {
        let address = mmap(nil, max(size, 1), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != MAP_FAILED else {
            throw ModelError.fileUnreadable(path: name, reason: "anonymous mmap of \(size) bytes failed")
        }
        fill(address)
        mprotect(address, max(size, 1), PROT_READ)
        self.path = name
        self.size = size
        isFileBacked = false
        bytes = UnsafeRawPointer(address)
    }

    deinit {
        if let bytes { munmap(UnsafeMutableRawPointer(mutating: bytes), max(size, 1)) }
    }

    /// Reads a little-endian UInt64 at `offset` (caller checks bounds).
    func littleEndianUInt64(at offset: Int) -> UInt64 {
        guard let bytes else { return 0 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
