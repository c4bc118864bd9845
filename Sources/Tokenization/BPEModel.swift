/// The BPE model of a byte-level tokenizer: the vocabulary, the merge table, and the merge loop.
///
/// A word (one pre-token, as raw bytes) starts as one symbol per byte and is merged pair by pair,
/// always the pair of lowest merge rank first, leftmost first among equals. A binary heap keeps the
/// candidate pairs; entries made stale by earlier merges are skipped when popped, so a word of n
/// bytes costs O(n log n) rather than a rescan after every merge.
struct BPEModel: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    /// `merges[pairKey(left, right)]`: the rank of merging the two ids and the id it produces.
    let merges: [UInt64: Merge]
    /// The id of the one-byte token for each byte; -1 where the vocabulary lacks it.
    let byteTokens: [Int32]
    /// With `byte_fallback`, for each byte with no byte token, the `<0xXX>` ids spelling the UTF-8
    /// of its stand-in character (what HF emits); empty when those tokens are missing too.
    let fallbackTokens: [[Int32]]?
    let unknownToken: Int32?
    let fuseUnknown: Bool
    /// With `ignore_merges`, a word that is itself a vocabulary entry is taken whole.
    let wholeWords: [[UInt8]: Int32]?

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Appends the ids of one word to `output`.
    func encode(word: ArraySlice<UInt8>, into output: inout [Int]) {
        if let wholeWords, let id = wholeWords[Array(word)] {
            output.append(Int(id))
            return
        }
        var symbols = initialSymbols(word)
        if symbols.count > 1 { mergeAll(&symbols) }
        for id in symbols where id >= 0 { output.append(Int(id)) }
    }

    private func initialSymbols(_ word: ArraySlice<UInt8>) -> [Int32] {
        var symbols: [Int32] = []
        symbols.reserveCapacity(word.count)
        var lastWasUnknown = false
        for byte in word {
            let id = byteTokens[Int(byte)]
            if id >= 0 {
                symbols.append(id)
                lastWasUnknown = false
            } else if let fallback = fallbackTokens?[Int(byte)], !fallback.isEmpty {
                symbols += fallback
                lastWasUnknown = false
            } else if let unknownToken {
                if !(fuseUnknown && lastWasUnknown) { symbols.append(unknownToken) }
                lastWasUnknown = true
            }
            // With neither fallback nor unknown token the byte is dropped, as HF does.
        }
        return symbols
    }

    /// Merges in place; merged-away slots are set to -1.
    private func mergeAll(_ symbols: inout [Int32]) {
        let count = symbols.count
        if count == 2 {
            if let merge = merges[Self.pairKey(symbols[0], symbols[1])] { symbols = [merge.result] }
            return
        }
        var next = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = Int32(i + 1 < count ? i + 1 : -1) }
            initialized = count
        }
        var previous = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = Int32(i - 1) }
            initialized = count
        }
        var heap = MinHeap()
        for i in 0..<(count - 1) {
            if let merge = merges[Self.pairKey(symbols[i], symbols[i + 1])] {
                heap.push(UInt64(UInt32(merge.rank)) << 32 | UInt64(i))
            }
        }
        while let top = heap.pop() {
            let rank = Int32(truncatingIfNeeded: top >> 32)
            let position = Int(top & 0xFFFF_FFFF)
            let right = Int(next[position])
            // Stale: the left symbol was merged away, or the pair at this position changed.
            guard symbols[position] >= 0, right >= 0,
                  let merge = merges[Self.pairKey(symbols[position], symbols[right])], merge.rank == rank
            else { continue }
            symbols[position] = merge.result
            symbols[right] = -1
            let after = next[right]
            next[position] = after
            if after >= 0 { previous[Int(after)] = Int32(position) }
            let before = Int(previous[position])
            if before >= 0, let merge = merges[Self.pairKey(symbols[before], symbols[position])] {
                heap.push(UInt64(UInt32(merge.rank)) << 32 | UInt64(before))
            }
            if after >= 0, let merge = merges[Self.pairKey(symbols[position], symbols[Int(after)])] {
                heap.push(UInt64(UInt32(merge.rank)) << 32 | UInt64(position))
            }
        }
    }
}

/// A binary min-heap of packed (rank, position) keys: lowest rank first, then leftmost.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ item: UInt64) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        let count = items.count
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < count, items[left] < items[smallest] { smallest = left }
            if right < count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
