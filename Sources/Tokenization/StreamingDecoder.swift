/// Turns ids into text one token at a time, for drawing text as it is decoded. A token can end
/// inside a UTF-8 sequence (byte-level BPE splits emoji and CJK characters across tokens); those
/// bytes are held back and shown as `placeholder` until the token that completes them arrives.
///
/// ```swift
/// var stream = StreamingDecoder(tokenizer: tokenizer, skipSpecialTokens: true)
/// for id in ids { print(stream.append(id), terminator: "") }   // completed text only
/// let onScreen = stream.displayText                             // text + placeholder
/// ```
public struct StreamingDecoder: Sendable {
    public let tokenizer: Tokenizer
    public let skipSpecialTokens: Bool
    /// Shown in place of bytes that do not yet form a whole character.
    public var placeholder: String
    /// The text completed so far.
    public private(set) var text = ""
    /// Bytes of an unfinished UTF-8 sequence, waiting for the next token.
    public private(set) var pendingBytes: [UInt8] = []
    /// Byte-fallback tokens whose run does not yet spell a whole stand-in character.
    private var fallbackRun: [Int] = []

    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false, placeholder: String = "\u{FFFD}") {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
        self.placeholder = placeholder
    }

    /// The completed text followed by the placeholder while bytes are pending.
    public var displayText: String { pendingBytes.isEmpty && fallbackRun.isEmpty ? text : text + placeholder }

    /// Adds one token; returns the text it completed (possibly empty).
    @discardableResult
    public mutating func append(_ id: Int) -> String {
        if tokenizer.definition.fallbackByte[id] != nil {
            // `<0xXX>` tokens spell stand-in characters; decode a run once it is whole.
            fallbackRun.append(id)
            let spelled = fallbackRun.compactMap { tokenizer.definition.fallbackByte[$0] }
            guard UTF8Tail.incompleteSuffixLength(spelled) == 0 else { return "" }
            pendingBytes += tokenizer.bytes(for: fallbackRun, skipSpecialTokens: skipSpecialTokens)
        } else {
            // A run cut short is read as it stands, as `decode` does.
            pendingBytes += tokenizer.bytes(for: fallbackRun + [id], skipSpecialTokens: skipSpecialTokens)
        }
        fallbackRun = []
        let keep = UTF8Tail.incompleteSuffixLength(pendingBytes)
        let ready = pendingBytes[..<(pendingBytes.count - keep)]
        let completed = String(decoding: ready, as: UTF8.self)
        pendingBytes.removeFirst(pendingBytes.count - keep)
        text += completed
        return completed
    }

    /// Adds several tokens; returns the text they completed.
    @discardableResult
    public mutating func append(contentsOf ids: some Sequence<Int>) -> String {
        var completed = ""
        for id in ids { completed += append(id) }
        return completed
    }

    /// Ends the stream: pending bytes that never completed become U+FFFD, as in `decode`.
    @discardableResult
    public mutating func finish() -> String {
        pendingBytes += tokenizer.bytes(for: fallbackRun, skipSpecialTokens: skipSpecialTokens)
        let completed = String(decoding: pendingBytes, as: UTF8.self)
        pendingBytes = []
        fallbackRun = []
        text += completed
        return completed
    }

    public mutating func reset() {
        text = ""
        pendingBytes = []
        fallbackRun = []
    }
}

/// UTF-8 boundaries for text that arrives in pieces.
enum UTF8Tail {
    /// How many bytes at the end of `bytes` begin a valid UTF-8 sequence that is not yet complete
    /// (0 when the bytes end on a character boundary or with bytes that can never be valid).
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        var start = count - 1
        // Find the lead byte of the last sequence, at most three bytes back.
        while start >= 0, count - start <= 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0, count - start <= 3 else { return 0 }
        let lead = bytes[start]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return 0
        }
        let have = count - start
        guard have < needed else { return 0 }
        if have >= 2, !secondByteIsValid(lead: lead, bytes[start + 1]) { return 0 }
        return have
    }

    /// The second-byte ranges that rule out overlong forms, surrogates and values past U+10FFFF.
    static func secondByteIsValid(lead: UInt8, _ byte: UInt8) -> Bool {
        switch lead {
        case 0xE0: return (0xA0...0xBF).contains(byte)
        case 0xED: return (0x80...0x9F).contains(byte)
        case 0xF0: return (0x90...0xBF).contains(byte)
        case 0xF4: return (0x80...0x8F).contains(byte)
        default: return (0x80...0xBF).contains(byte)
        }
    }
}
