import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens an output path the way the user named it: symlinks are followed, FIFOs and devices are
/// written to, a regular file is created or truncated in place; a directory is refused. Nothing
/// is replaced (no temporary file renamed over the path), so `--record /dev/null` stays a device,
/// a FIFO keeps its reader and a symlink keeps pointing where it did.
public enum OutputFile {
    public static func open(_ path: String) throws(OutputFileError) -> FileHandle {
        var descriptor: Int32
        repeat {
            descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Writes `data` to `path` (opened as `open` does) and closes it.
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        let handle = try open(path)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw OutputFileError(path: path, reason: "\(error)")
        }
    }
}

public struct OutputFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}
