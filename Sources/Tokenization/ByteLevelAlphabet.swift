/// The byte-level alphabet of GPT-2 style BPE: every byte gets a printable stand-in character,
/// so a vocabulary of strings can spell any byte sequence. Printable Latin-1 bytes stand for
/// themselves; the other 68 bytes (controls, space, 0x7F–0xA0, 0xAD) are given the scalars from
/// U+0100 upward in byte order, which is why a space appears in vocabularies as "Ġ" (U+0120).
enum ByteLevelAlphabet {
    /// `scalars[b]` stands for byte `b`.
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if standsForItself(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a stand-in scalar represents, or nil for scalars outside the alphabet.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256 { return standsForItself(UInt8(value)) ? UInt8(value) : nil }
        guard value < 256 + 68 else { return nil }
        return remappedBytes[Int(value - 256)]
    }

    /// The bytes spelled by a vocabulary string, or nil when it uses a scalar outside the alphabet.
    static func bytes(spelledBy token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The vocabulary spelling of raw bytes.
    static func spelling(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalars[Int(byte)]) }
        return String(text)
    }

    private static func standsForItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    private static let remappedBytes: [UInt8] = (0..<256).map(UInt8.init).filter { !standsForItself($0) }
}
