import Foundation

/// Remembers the ids of words already encoded; running text repeats its words constantly.
/// Shared by every thread that encodes with one tokenizer, so access is locked. When full it
/// starts over, which keeps memory bounded without bookkeeping on the hot path.
final class WordCache: @unchecked Sendable {
    private var entries: [[UInt8]: [Int]] = [:]
    private let lock = NSLock()
    private let capacity: Int

    init(capacity: Int = 65_536) { self.capacity = capacity }

    func ids(for word: ArraySlice<UInt8>, orEncode encode: () -> [Int]) -> [Int] {
        let key = Array(word)
        lock.lock()
        let cached = entries[key]
        lock.unlock()
        if let cached { return cached }
        let ids = encode()
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = ids
        lock.unlock()
        return ids
    }
}
