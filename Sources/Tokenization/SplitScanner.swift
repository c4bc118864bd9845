/// Text prepared for splitting: its scalars, their classes, and where each scalar's UTF-8 starts.
struct ScalarText {
    var scalars: [Unicode.Scalar] = []
    var classes: [ScalarClass] = []
    /// `utf8Offsets[i]` is where scalar `i` starts in `utf8`; one extra entry marks the end.
    var utf8Offsets: [Int] = [0]
    var utf8: [UInt8] = []

    init(_ text: Substring) {
        let view = text.unicodeScalars
        scalars.reserveCapacity(text.utf8.count)
        classes.reserveCapacity(text.utf8.count)
        utf8.reserveCapacity(text.utf8.count)
        for scalar in view {
            scalars.append(scalar)
            classes.append(ScalarClass.of(scalar))
            UTF8.encode(scalar) { utf8.append($0) }
            utf8Offsets.append(utf8.count)
        }
    }

    var count: Int { scalars.count }

    func utf8Range(_ scalarRange: Range<Int>) -> Range<Int> {
        utf8Offsets[scalarRange.lowerBound]..<utf8Offsets[scalarRange.upperBound]
    }
}

extension SplitPattern {
    /// The pieces of `text` as scalar ranges, covering all of it: at each position the first rule
    /// that matches takes its match; scalars no rule matches are kept together as their own piece
    /// (the `Isolated` behaviour of HF's Split).
    func split(_ text: ScalarText, into pieces: (Range<Int>) -> Void) {
        var position = 0, gapStart = 0
        let count = text.count
        while position < count {
            var matched = 0
            for rule in rules {
                matched = rule.matchLength(in: text, at: position)
                if matched > 0 { break }
            }
            if matched == 0 { position += 1; continue }
            if gapStart < position { pieces(gapStart..<position) }
            pieces(position..<(position + matched))
            position += matched
            gapStart = position
        }
        if gapStart < count { pieces(gapStart..<count) }
    }
}

extension SplitRule {
    /// How many scalars this alternative matches at `start`, 0 when it does not match.
    func matchLength(in text: ScalarText, at start: Int) -> Int {
        let classes = text.classes, scalars = text.scalars, count = classes.count
        func run(from index: Int, while test: (ScalarClass) -> Bool, limit: Int = .max) -> Int {
            var end = index
            while end < count, end - index < limit, test(classes[end]) { end += 1 }
            return end
        }
        func isSpace(_ index: Int) -> Bool { index < count && scalars[index] == " " }

        switch self {
        case let .literal(literal, caseInsensitive):
            guard start + literal.count <= count else { return 0 }
            for (offset, expected) in literal.enumerated() {
                let actual = scalars[start + offset]
                if actual == expected { continue }
                if caseInsensitive, Self.folded(actual) == Self.folded(expected) { continue }
                return 0
            }
            return literal.count

        case let .letters(prefix):
            var first = start
            switch prefix {
            case .none: break
            case .optionalSpace:
                if isSpace(start) { first = start + 1 }
            case .optionalNonNewlineOther:
                let flags = classes[start]
                if !flags.contains(.newline), !flags.contains(.letter), !flags.contains(.number) { first = start + 1 }
            }
            // The optional prefix backtracks away when no letter follows it.
            if first != start, !(first < count && classes[first].contains(.letter)) { first = start }
            guard classes[first].contains(.letter) else { return 0 }
            return run(from: first, while: { $0.contains(.letter) }) - start

        case let .numbers(optionalSpace, limit):
            var first = start
            if optionalSpace, isSpace(start), start + 1 < count, classes[start + 1].contains(.number) { first = start + 1 }
            guard classes[first].contains(.number) else { return 0 }
            return run(from: first, while: { $0.contains(.number) }, limit: limit ?? .max) - start

        case let .others(optionalSpace, trailingNewlines):
            var first = start
            if optionalSpace, isSpace(start), start + 1 < count, classes[start + 1].isOther { first = start + 1 }
            guard classes[first].isOther else { return 0 }
            var end = run(from: first, while: { $0.isOther })
            if trailingNewlines { end = run(from: end, while: { $0.contains(.newline) }) }
            return end - start

        case .whitespaceEndingInNewline:
            let end = run(from: start, while: { $0.contains(.whitespace) })
            var last = end - 1
            while last >= start, !classes[last].contains(.newline) { last -= 1 }
            return last >= start ? last + 1 - start : 0

        case .whitespaceNotBeforeNonSpace:
            let end = run(from: start, while: { $0.contains(.whitespace) })
            if end == start { return 0 }
            if end == count { return end - start }
            return end - start >= 2 ? end - start - 1 : 0

        case .whitespace:
            return run(from: start, while: { $0.contains(.whitespace) }) - start
        }
    }

    /// Simple case folding for the letters contractions use (Oniguruma folds ſ to s, K to k).
    private static func folded(_ scalar: Unicode.Scalar) -> UInt32 {
        switch scalar.value {
        case 0x41...0x5A: return scalar.value + 32
        case 0x17F: return 0x73
        case 0x212A: return 0x6B
        default: return scalar.value
        }
    }
}
