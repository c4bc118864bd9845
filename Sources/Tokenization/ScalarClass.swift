/// The character classes the split patterns test, as bit flags per scalar: `\p{L}`, `\p{N}`,
/// `\s` (Unicode White_Space, which is what Oniguruma's `\s` matches) and `[\r\n]`.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8
    static let letter = ScalarClass(rawValue: 1)
    static let number = ScalarClass(rawValue: 2)
    static let whitespace = ScalarClass(rawValue: 4)
    static let newline = ScalarClass(rawValue: 8)

    /// Neither whitespace, letter nor number: `[^\s\p{L}\p{N}]`.
    var isOther: Bool { rawValue & 7 == 0 }

    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        let value = scalar.value
        if value < 128 { return asciiTable[Int(value)] }
        var flags: ScalarClass = []
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            flags.insert(.number)
        default:
            break
        }
        if properties.isWhitespace { flags.insert(.whitespace) }
        return flags
    }

    private static let asciiTable: [ScalarClass] = (0..<128).map { value -> ScalarClass in
        let scalar = Unicode.Scalar(UInt8(value))
        switch scalar {
        case "a"..."z", "A"..."Z": return .letter
        case "0"..."9": return .number
        case "\r", "\n": return [.whitespace, .newline]
        case " ", "\t", "\u{0B}", "\u{0C}": return .whitespace
        default: return []
        }
    }
}
