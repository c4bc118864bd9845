/// Finds added tokens (special tokens such as `<|eot_id|>`, and other added strings) in text
/// before BPE sees it: leftmost match first, and the longest token at that position, as HF's
/// added vocabulary does. A byte trie keeps this linear in the text.
struct AddedTokenMatcher: Sendable {
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    private var children: [[UInt8: Int32]] = [[:]]
    private var tokenAtNode: [Int32] = [-1]
    private var startsToken = [Bool](repeating: false, count: 256)

    init(tokens: [(content: String, id: Int)]) {
        for (content, id) in tokens {
            guard let first = content.utf8.first else { continue }
            var node = 0
            for byte in content.utf8 {
                if let child = children[node][byte] {
                    node = Int(child)
                } else {
                    children.append([:])
                    tokenAtNode.append(-1)
                    children[node][byte] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            tokenAtNode[node] = Int32(id)
            startsToken[Int(first)] = true
        }
    }

    var isEmpty: Bool { children.count == 1 }

    /// Splits UTF-8 text into plain runs and matched tokens, in order.
    func split(_ utf8: [UInt8]) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0, position = 0
        let count = utf8.count
        while position < count {
            guard startsToken[Int(utf8[position])], let (id, end) = longestMatch(utf8, from: position) else {
                position += 1
                continue
            }
            if textStart < position { segments.append(.text(textStart..<position)) }
            segments.append(.token(id))
            position = end
            textStart = end
        }
        if textStart < count { segments.append(.text(textStart..<count)) }
        return segments
    }

    private func longestMatch(_ utf8: [UInt8], from start: Int) -> (id: Int, end: Int)? {
        var node = 0, best: (Int, Int)? = nil
        var position = start
        while position < utf8.count, let child = children[node][utf8[position]] {
            node = Int(child)
            position += 1
            if tokenAtNode[node] >= 0 { best = (Int(tokenAtNode[node]), position) }
        }
        return best
    }
}
