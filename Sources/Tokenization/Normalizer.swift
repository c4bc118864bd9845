/// The text normalizers the supported tokenizers use: none, or Unicode NFC (Qwen2).
enum Normalizer: Sendable, Equatable {
    case none
    case nfc

    func apply(_ text: Substring) -> Substring {
        switch self {
        case .none:
            return text
        case .nfc:
            // Scalars below U+0300 are NFC-stable and never compose: UTF-8 bytes below 0xCC
            // mean only such scalars are present, the common case, which we leave untouched.
            if text.utf8.allSatisfy({ $0 < 0xCC }) { return text }
            // The standard library's NFC (the one String comparison uses). Foundation's
            // precomposedStringWithCanonicalMapping is not used: on Linux it composes a
            // supplementary-plane character followed by a combining mark wrongly
            // (U+E0041 U+0301 becomes "Á").
            return Substring(String(decoding: String(text)._nfcCodeUnits, as: UTF8.self))
        }
    }
}
