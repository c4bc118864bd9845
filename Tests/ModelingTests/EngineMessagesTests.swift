import Foundation
import Kernels
@testable import Modeling
import Testing

/// The engine protocol's frames byte for byte (docs/engine-protocol.md), and replies from an engine
/// mangled in every way a seeded mutator finds: each is decoded or refused with an `EngineError`,
/// never a crash, never an allocation beyond the caps.
@Suite struct EngineMessagesTests {
    @Test("a dual-cache step's FORWARD at block 32 is the 408 bytes the protocol document counts")
    func forwardLayout() throws {
        let request = ForwardRequest(tokens: Array(100..<132), positions: Array(300..<332), cache: .window(rows: 300..<332),
                                     logitRows: Array(0..<32))
        let frame = try EngineMessages.forward(request, engine: "test").frame
        #expect(frame.count == 408)
        var r = FrameReader(Array(frame.dropFirst(4)), engine: "test")
        #expect(try r.u8("kind") == EngineWire.Kind.forward.rawValue)
        #expect(try r.u32("n") == 32)
        #expect(try r.u32("first token") == 100)
        _ = try r.bytes(31 * 4, "tokens")
        #expect(try r.u32("first position") == 300)
        _ = try r.bytes(31 * 4, "positions")
        #expect(try r.u8("cache kind") == 3)
        #expect(try r.u32("a") == 300)
        #expect(try r.u32("b") == 332)
        #expect(try r.u8("mask kind") == 0)
        #expect(try r.u8("rows kind") == 1)
        #expect(try r.u32("row count") == 32)
        _ = try r.bytes(32 * 4, "rows")
        try r.finish("FORWARD")
    }

    @Test("an attention mask travels as row-major bits, least significant first")
    func maskBits() throws {
        var mask = AttentionMask(queries: 3, keys: 3, allowing: false)
        mask.set(0, 0, true)
        mask.set(1, 2, true)
        mask.set(2, 2, true)
        let frame = try EngineMessages.forward(ForwardRequest(tokens: [1, 2, 3], positions: [0, 1, 2], attentionMask: mask),
                                               engine: "test").frame
        // After kind, n, 3 ids, 3 positions, cache kind, a, b: mask kind, queries, keys, 2 bytes of bits.
        let at = 4 + 1 + 4 + 12 + 12 + 1 + 8
        #expect(frame[at] == 1)
        #expect(Array(frame[(at + 9)..<(at + 11)]) == [0b0010_0001, 0b0000_0001])  // cells 0, 5, 8
    }

    @Test("logits arrive in each format and widen to the same floats", arguments: [LogitFormat.f32, .f16, .bf16])
    func logitFormats(_ format: LogitFormat) throws {
        let values: [Float] = [0, 1, -2.5, 0.15625, 64, -0.75]
        var w = FrameWriter(.logits)
        w.u32(2); w.u32(3); w.u8(format.rawValue); w.u8(2); w.u32(7); w.u32(0); w.u32(9)
        withUnsafeBytes(of: (0.25).bitPattern.littleEndian) { w.raw(Array($0)) }
        for v in values {
            switch format {
            case .f32: w.u32(v.bitPattern)
            case .f16: w.u16(Float16(v).bitPattern)
            case .bf16: w.u16(UInt16(v.bitPattern >> 16))
            }
        }
        let (result, cached) = try EngineMessages.logits(w.bytes, expectedRows: [4, 9], vocabulary: 3, format: format, engine: "test")
        #expect(result.logits == values)  // every value is exact in all three formats
        #expect(result.rows == [4, 9] && result.cache == .prefix(length: 7) && cached == 9 && result.seconds == 0.25)
    }

    static func validWelcome() -> [UInt8] {
        var w = FrameWriter(.welcome)
        w.raw(EngineWire.magic); w.u16(1); w.u8(2); w.u8(1)
        w.u32(97); w.u32(256); w.u32(96); w.u32(94); w.u32(UInt32(bitPattern: -1)); w.u8(15); w.u32(256)
        w.string("dream-tiny"); w.string("0123456789abcdef"); w.string("torch 2.13.0 own cpu float32"); w.string("")
        return w.bytes
    }

    @Test("a WELCOME is read into the descriptor")
    func welcome() throws {
        let welcome = try EngineMessages.welcome(Self.validWelcome(), engine: "test")
        #expect(welcome.descriptor == ModelDescriptor(family: .dream, name: "dream-tiny", weightsHash: "0123456789abcdef",
                                                      vocabularySize: 97, maxSequenceLength: 256, maskTokenID: 96, endOfTextID: 94,
                                                      endOfTurnID: nil, engine: "torch 2.13.0 own cpu float32"))
        #expect(welcome.format == .f16 && welcome.cacheModes == .all && welcome.maxTokens == 256)
    }

    @Test("mangled replies: decoded or refused with an EngineError, never a crash")
    func mutations() {
        var logits = FrameWriter(.logits)
        logits.u32(1); logits.u32(3); logits.u8(1); logits.u8(0); logits.u32(0); logits.u32(0); logits.u32(0)
        logits.raw([UInt8](repeating: 0, count: 8 + 12))
        var error = FrameWriter(.error)
        error.u16(5); error.string("CUDA out of memory")
        let seeds: [[UInt8]] = [Self.validWelcome(), logits.bytes, error.bytes]
        var rng = SplitMix64(seed: 21)
        var refused = 0
        for round in 0..<3000 {
            var payload = seeds[round % seeds.count]
            switch rng.next() % 4 {
            case 0: payload = Array(payload.prefix(Int(rng.next() % UInt64(payload.count))))
            case 1: for _ in 0..<(1 + rng.next() % 4) { payload[Int(rng.next() % UInt64(payload.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2: // a length field set huge
                let at = 1 + Int(rng.next() % UInt64(max(1, payload.count - 5)))
                for i in at..<min(at + 4, payload.count) { payload[i] = 0xFF }
            default: payload += (0..<(1 + rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            do {
                switch round % seeds.count {
                case 0: _ = try EngineMessages.welcome(payload, engine: "fuzz")
                case 1: _ = try EngineMessages.logits(payload, expectedRows: [0], vocabulary: 3, format: .f32, engine: "fuzz")
                default: _ = try EngineMessages.error(payload, engine: "fuzz")
                }
            } catch {
                refused += 1
                #expect(error.description.hasPrefix("engine fuzz"), "\(error)")
            }
        }
        #expect(refused > 1000, "the mutator should break most frames (\(refused) refused)")
    }
}
