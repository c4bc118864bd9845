#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MappedFile {
    /// Tells the OS that the whole pages inside `byteCount` bytes from `start` are not needed now,
    /// so they leave the resident set (a Q8_0 weight, once repacked, is not read from the map again).
    /// Only on a file-backed map: its private read-only pages read again from the file if touched.
    /// On anonymous memory (random models, tests) it does nothing, since there MADV_DONTNEED would
    /// replace the data with zeros. Returns whether any page was released.
    @discardableResult
    public func releaseResidentPages(from start: UnsafeRawPointer, byteCount: Int) -> Bool {
        guard isFileBacked, let base = bytes, byteCount > 0 else { return false }
        let lower = Int(bitPattern: start), upper = lower + byteCount
        // Only bytes inside this map, and only pages that lie wholly inside the range: a page
        // shared with a neighbouring tensor stays.
        guard lower >= Int(bitPattern: base), upper <= Int(bitPattern: base) + size else { return false }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (lower + page - 1) / page * page, last = upper / page * page
        guard last > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return false }
        return madvise(address, last - first, Int32(MADV_DONTNEED)) == 0
    }
}
