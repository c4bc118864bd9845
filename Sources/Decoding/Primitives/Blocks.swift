import Recording

/// Semi-autoregressive blocks over the answer (decoders.md §1.1): block `b` covers canvas
/// positions `[P + b·B, P + (b+1)·B)`, the last one cut at the canvas end.
public struct BlockLayout: Sendable, Equatable {
    public let answer: Range<Int>
    public let blockLength: Int

    public init(answer: Range<Int>, blockLength: Int) {
        self.answer = answer
        self.blockLength = max(1, blockLength)
    }

    public var count: Int { (answer.count + blockLength - 1) / blockLength }

    public func span(_ block: Int) -> Range<Int> {
        let lower = answer.lowerBound + block * blockLength
        return lower..<min(lower + blockLength, answer.upperBound)
    }

    /// The block event for `block`.
    public func event(_ kind: BlockChange.Kind, _ block: Int) -> Event {
        .block(BlockChange(kind, block: block, span: PositionRange(span(block))))
    }

    /// Requires `G % B == 0` (most reference code asserts it), naming the valid block lengths.
    public static func requireDivisible(answerLength: Int, blockLength: Int, key: String = "block_length") throws(DecoderError) {
        guard blockLength > 0, answerLength % blockLength == 0 else {
            let divisors = (1...max(1, answerLength)).filter { answerLength % $0 == 0 }.map(String.init)
            throw .incompatible("gen length \(answerLength) is not divisible by \(key) \(blockLength); "
                                + "valid \(key) values: \(divisors.joined(separator: ", "))")
        }
    }
}

/// Canvas positions in `range` that are masked now.
func maskedPositions(_ canvas: Canvas, in range: Range<Int>) -> [Int] {
    range.filter { canvas.cells[$0].state == .masked }
}

/// Where a semi-autoregressive decode stands: the open block's index and span. The block length
/// is read when a block opens, so a live `block_length` change takes effect at the next block
/// boundary without skipping or repeating positions (blocks go strictly left to right).
struct BlockCursor {
    let answer: Range<Int>
    private(set) var index = 0
    private(set) var span: Range<Int>
    private(set) var isOpen = false

    init(answer: Range<Int>) {
        self.answer = answer
        span = answer.lowerBound..<answer.lowerBound
    }

    var isFinished: Bool { !isOpen && span.upperBound >= answer.upperBound }

    /// Opens the next block of `length` positions (cut at the answer end): `open` for the first,
    /// `advance` for the others.
    mutating func open(length: Int) -> Event {
        span = span.upperBound..<min(span.upperBound + max(1, length), answer.upperBound)
        isOpen = true
        return event(index == 0 ? .open : .advance)
    }

    /// Closes the open block: `complete`.
    mutating func close() -> Event {
        isOpen = false
        defer { index += 1 }
        return event(.complete)
    }

    /// Ends the decode here (Prophet's early commit).
    mutating func finish() {
        isOpen = false
        span = answer.upperBound..<answer.upperBound
    }

    func event(_ kind: BlockChange.Kind) -> Event {
        .block(BlockChange(kind, block: index, span: PositionRange(span)))
    }
}
