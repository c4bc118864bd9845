import Foundation
import Kernels

/// Cache modes an engine serves (the WELCOME frame's bit set).
public struct CacheModes: OptionSet, Sendable, Equatable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let build = CacheModes(rawValue: 1), prefix = CacheModes(rawValue: 2)
    public static let window = CacheModes(rawValue: 4), extend = CacheModes(rawValue: 8)
    public static let all: CacheModes = [.build, .prefix, .window, .extend]

    /// The mode a request needs; `.none` needs none.
    static func needed(by use: CacheUse) -> CacheModes {
        switch use {
        case .none: []
        case .build: .build
        case .prefix: .prefix
        case .window: .window
        case .extend: .extend
        }
    }
}

/// What the engine said about itself in WELCOME.
public struct EngineWelcome: Sendable, Equatable {
    public var format: LogitFormat
    public var descriptor: ModelDescriptor
    public var cacheModes: CacheModes
    public var maxTokens: Int
    /// e.g. "torch 2.13.0 own cuda:0 bf16".
    public var engine: String
    /// Empty, or why some cache modes are missing.
    public var note: String
}

/// Encoding of client frames and decoding of engine frames (docs/engine-protocol.md § Messages).
enum EngineMessages {
    static func hello(formats: [LogitFormat]) -> FrameWriter {
        var w = FrameWriter(.hello)
        w.raw(EngineWire.magic)
        w.u16(EngineWire.version)
        w.u8(UInt8(formats.count))
        formats.forEach { w.u8($0.rawValue) }
        return w
    }

    static func welcome(_ payload: [UInt8], engine: String) throws(EngineError) -> EngineWelcome {
        var r = FrameReader(payload, engine: engine)
        _ = try r.u8("kind")
        let magic = Array(try r.bytes(4, "magic"))
        guard magic == EngineWire.magic else {
            throw .malformed(engine: engine, reason: "WELCOME magic \(magic), expected \"DLPE\"")
        }
        let version = try r.u16("version")
        guard version == EngineWire.version else {
            throw .reported(engine: engine, code: .version, message: "engine speaks protocol version \(version), "
                            + "this dllm-play speaks \(EngineWire.version) (hint: install the engine from the same checkout)")
        }
        let formatCode = try r.u8("logit format")
        guard let format = LogitFormat(rawValue: formatCode) else {
            throw .malformed(engine: engine, reason: "unknown logit format \(formatCode)")
        }
        let familyCode = try r.u8("family")
        let family: ModelDescriptor.Family
        switch familyCode {
        case 0: family = .llada
        case 1: family = .dream
        default: throw .malformed(engine: engine, reason: "unknown model family \(familyCode) (0 LLaDA, 1 Dream)")
        }
        let vocabulary = try r.count("vocabulary size", cap: EngineWire.maxVocabulary)
        let maxSequence = Int(try r.u32("maximum sequence length"))
        let mask = Int(try r.u32("mask id")), endOfText = Int(try r.u32("end-of-text id"))
        let endOfTurn = Int(Int32(bitPattern: try r.u32("end-of-turn id")))
        let modes = CacheModes(rawValue: try r.u8("cache modes") & CacheModes.all.rawValue)
        let maxTokens = try r.count("tokens per forward", cap: EngineWire.maxTokens)
        let name = try r.string("model name"), hash = try r.string("weights hash")
        let engineName = try r.string("engine name"), note = try r.string("note")
        try r.finish("WELCOME")
        guard vocabulary > 0, maxSequence > 0, maxTokens > 0 else {
            throw .malformed(engine: engine, reason: "vocabulary \(vocabulary), context \(maxSequence) and tokens per forward "
                             + "\(maxTokens) must all be positive")
        }
        for (id, what) in [(mask, "mask id"), (endOfText, "end-of-text id")] + (endOfTurn >= 0 ? [(endOfTurn, "end-of-turn id")] : [])
        where id >= vocabulary {
            throw .malformed(engine: engine, reason: "\(what) \(id) is outside the vocabulary of \(vocabulary)")
        }
        let descriptor = ModelDescriptor(family: family, name: name, weightsHash: hash, vocabularySize: vocabulary,
                                         maxSequenceLength: maxSequence, maskTokenID: mask, endOfTextID: endOfText,
                                         endOfTurnID: endOfTurn >= 0 ? endOfTurn : nil, engine: engineName)
        return EngineWelcome(format: format, descriptor: descriptor, cacheModes: modes, maxTokens: maxTokens,
                             engine: engineName, note: note)
    }

    static func forward(_ request: ForwardRequest, engine: String) throws(EngineError) -> FrameWriter {
        let n = request.tokens.count
        var w = FrameWriter(.forward, reserving: 8 * n + 32 + (request.attentionMask.map { $0.allowed.count / 8 } ?? 0))
        func u32(_ value: Int, _ what: String) throws(EngineError) {
            guard let v = UInt32(exactly: value) else { throw .unencodable(engine: engine, reason: "\(what) \(value)") }
            w.u32(v)
        }
        try u32(n, "token count")
        for t in request.tokens { try u32(t, "token id") }
        for p in request.positions { try u32(p, "position id") }
        let (kind, a, b): (UInt8, Int, Int) = switch request.cache {
        case .none: (0, 0, 0)
        case .build: (1, 0, 0)
        case let .prefix(length): (2, length, 0)
        case let .window(rows): (3, rows.lowerBound, rows.upperBound)
        case let .extend(length): (4, length, 0)
        }
        w.u8(kind)
        try u32(a, "cache length")
        try u32(b, "cache length")
        if let mask = request.attentionMask {
            w.u8(1)
            try u32(mask.queries, "mask queries")
            try u32(mask.keys, "mask keys")
            var packed = [UInt8](repeating: 0, count: (mask.allowed.count + 7) / 8)
            for (i, allowed) in mask.allowed.enumerated() where allowed { packed[i >> 3] |= 1 << UInt8(i & 7) }
            w.raw(packed)
        } else {
            w.u8(0)
        }
        if let rows = request.logitRows {
            w.u8(1)
            try u32(rows.count, "row count")
            for r in rows { try u32(r, "logit row") }
        } else {
            w.u8(0)
        }
        guard w.bytes.count <= EngineWire.maxPayload else {
            throw .tooLarge(engine: engine, what: "FORWARD payload", value: w.bytes.count, cap: EngineWire.maxPayload)
        }
        return w
    }

    /// The LOGITS reply: the result and the cache length the engine reports afterwards.
    static func logits(_ payload: [UInt8], expectedRows: [Int], vocabulary: Int, format: LogitFormat,
                       engine: String) throws(EngineError) -> (result: ForwardResult, cachedLength: Int) {
        var r = FrameReader(payload, engine: engine)
        _ = try r.u8("kind")
        let rows = try r.count("logit rows", cap: EngineWire.maxTokens)
        let v = try r.count("vocabulary", cap: EngineWire.maxVocabulary)
        guard rows == expectedRows.count, v == vocabulary else {
            throw .malformed(engine: engine, reason: "LOGITS of \(rows)×\(v), asked for \(expectedRows.count)×\(vocabulary)")
        }
        let formatCode = try r.u8("logit format")
        guard formatCode == format.rawValue else {
            throw .malformed(engine: engine, reason: "LOGITS in format \(formatCode), negotiated \(format.rawValue)")
        }
        let kind = try r.u8("cache kind")
        let a = Int(try r.u32("cache a")), b = Int(try r.u32("cache b"))
        let use: CacheUse
        switch kind {
        case 0: use = .none
        case 1: use = .build
        case 2: use = .prefix(length: a)
        case 3:
            guard a <= b else { throw .malformed(engine: engine, reason: "window rows [\(a), \(b))") }
            use = .window(rows: a..<b)
        case 4: use = .extend(length: a)
        default: throw .malformed(engine: engine, reason: "unknown cache kind \(kind)")
        }
        let cached = Int(try r.u32("cached rows"))
        let seconds = try r.f64("engine seconds")
        let count = rows * v
        let body = try r.bytes(count * format.bytesPerValue, "logits")
        try r.finish("LOGITS")
        let logits = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            body.withUnsafeBytes { raw in
                guard count > 0 else { return }
                switch format {
                case .f32:
                    for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case .f16, .bf16:
                    let halves = [UInt16](unsafeUninitializedCapacity: count) { h, n in
                        for i in 0..<count { h[i] = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                        n = count
                    }
                    halves.withUnsafeBufferPointer { h in
                        if format == .f16 { widenFloat16(h.baseAddress!, into: out.baseAddress!, count: count) }
                        else { widenBFloat16(h.baseAddress!, into: out.baseAddress!, count: count) }
                    }
                }
            }
            initialized = count
        }
        let result = ForwardResult(logits: logits, rows: expectedRows, vocabularySize: v, cache: use,
                                   seconds: seconds.isFinite && seconds >= 0 ? seconds : 0)
        return (result, cached)
    }

    static func error(_ payload: [UInt8], engine: String) throws(EngineError) -> EngineError {
        var r = FrameReader(payload, engine: engine)
        _ = try r.u8("kind")
        let raw = try r.u16("error code")
        let message = try r.string("error message")
        try r.finish("ERROR")
        return .reported(engine: engine, code: EngineErrorCode(rawValue: raw) ?? .internalError, message: message)
    }
}
