/// Constants of the engine protocol (docs/engine-protocol.md): frame kinds, formats and the hard
/// caps every length is checked against before anything is allocated.
public enum EngineWire {
    public static let magic: [UInt8] = Array("DLPE".utf8)
    public static let version: UInt16 = 1

    public enum Kind: UInt8, Sendable {
        case hello = 0x01, welcome = 0x02, forward = 0x03, reset = 0x04, truncate = 0x05, fileRequest = 0x06
        case logits = 0x81, cache = 0x82, file = 0x83, error = 0xEE
    }

    /// Caps (docs/engine-protocol.md § Frames).
    public static let maxPayload = 1 << 30
    public static let maxTokens = 65_536
    public static let maxMaskCells = 1 << 28
    public static let maxVocabulary = 1 << 24
    public static let maxString = 4096
    public static let maxFile = 64 << 20

    /// Files a client may ask the engine for (the tokenizer of a model that is not on this machine).
    public static let servedFiles = ["tokenizer.json", "tokenizer_config.json", "config.json", "generation_config.json"]
}

/// How logits travel: the engine converts, the client widens to Float.
public enum LogitFormat: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 1, f16 = 2, bf16 = 3

    public var bytesPerValue: Int { self == .f32 ? 4 : 2 }

    public var description: String {
        switch self {
        case .f32: "f32"
        case .f16: "f16"
        case .bf16: "bf16"
        }
    }

    public init?(name: String) {
        guard let format = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = format
    }
}

/// Codes of the ERROR frame.
public enum EngineErrorCode: UInt16, Sendable, CustomStringConvertible {
    case malformed = 1, version, invalidRequest, unsupported, outOfMemory, device, tooLarge, internalError

    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .version: "version"
        case .invalidRequest: "invalid-request"
        case .unsupported: "unsupported"
        case .outOfMemory: "out-of-memory"
        case .device: "device"
        case .tooLarge: "too-large"
        case .internalError: "internal"
        }
    }
}
