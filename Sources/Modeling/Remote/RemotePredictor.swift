import Foundation

/// A `MaskPredictor` whose forward passes run in another process (docs/engine-protocol.md): a
/// child process over its standard streams, or a TCP peer. Decoders see no difference except
/// `descriptor.engine`, and caches the engine does not serve (the `transformers` fallback) fail
/// as `unsupported` errors naming the engine.
///
/// A failed exchange (timeout, closed stream, malformed frame) closes the connection for good:
/// every later call fails at once with the same error, so a decode ends cleanly at its next step.
public final class RemotePredictor: MaskPredictor, @unchecked Sendable {
    public let descriptor: ModelDescriptor
    public let welcome: EngineWelcome
    public private(set) var cachedLength = 0
    private let connection: EngineConnection
    private var broken: EngineError?

    /// Connects (or launches), says HELLO and reads WELCOME.
    /// - Parameters:
    ///   - formats: logit formats to ask for, preferred first.
    ///   - timeout: seconds any one reply (the handshake included) may take.
    public convenience init(address: EngineAddress, formats: [LogitFormat] = [.f16, .bf16, .f32],
                            timeout: Double = 300) throws(EngineError) {
        let connection: EngineConnection
        switch address {
        case .local: throw .launchFailed(engine: "local", reason: "the local engine is not remote (use TransformerModel)")
        case let .tcp(host, port): connection = try TCPEngine.connect(host: host, port: port, timeout: timeout)
        case let .command(command): connection = try ChildEngine.launch(command: command, timeout: timeout)
        }
        try self.init(connection: connection, formats: formats)
    }

    init(connection: EngineConnection, formats: [LogitFormat]) throws(EngineError) {
        self.connection = connection
        do {
            try connection.send(EngineMessages.hello(formats: formats), waitingFor: "WELCOME (the engine loading its model)")
            let payload = try connection.receive(waitingFor: "WELCOME (the engine loading its model)")
            welcome = try Self.expect(.welcome, payload, engine: connection.engine) { p, e throws(EngineError) in
                try EngineMessages.welcome(p, engine: e)
            }
        } catch {
            connection.close()
            throw error
        }
        descriptor = welcome.descriptor
    }

    deinit { connection.close() }

    public func forward(_ request: ForwardRequest) throws -> ForwardResult {
        if let broken { throw broken }
        let needed = CacheModes.needed(by: request.cache)
        guard welcome.cacheModes.isSuperset(of: needed) else {
            throw EngineError.reported(engine: connection.engine, code: .unsupported, message: "this engine serves no \(request.cache) "
                                       + "cache" + (welcome.note.isEmpty ? "" : " (\(welcome.note))")
                                       + " (hint: --set cache=none, or a decoder setting without a KV cache)")
        }
        let frame = try EngineMessages.forward(request, engine: connection.engine)
        let rows = request.logitRows ?? Array(request.tokens.indices)
        let (result, cached) = try exchange(frame, expecting: .logits, what: "LOGITS") { p, e throws(EngineError) in
            try EngineMessages.logits(p, expectedRows: rows, vocabulary: descriptor.vocabularySize, format: welcome.format, engine: e)
        }
        cachedLength = cached
        return result
    }

    public func resetCache() { cacheCommand(FrameWriter(.reset)) }

    public func truncateCache(to length: Int) {
        var frame = FrameWriter(.truncate)
        frame.u32(UInt32(clamping: max(0, length)))
        cacheCommand(frame)
    }

    /// A file of the model's folder (tokenizer.json ...), or nil when the engine has none.
    public func file(named name: String) throws(EngineError) -> Data? {
        if let broken { throw broken }
        var frame = FrameWriter(.fileRequest)
        frame.string(name)
        return try exchange(frame, expecting: .file, what: "FILE \(name)") { p, e throws(EngineError) in
            var r = FrameReader(p, engine: e)
            _ = try r.u8("kind")
            let present = try r.u8("present") != 0
            let size = try r.count("file size", cap: EngineWire.maxFile)
            let bytes = try r.bytes(size, "file")
            try r.finish("FILE")
            return present ? Data(bytes) : nil
        }
    }

    /// RESET and TRUNCATE cannot throw (the `MaskPredictor` contract): a failure marks the
    /// connection broken, and the next forward reports it.
    private func cacheCommand(_ frame: FrameWriter) {
        guard broken == nil else { return }
        do {
            cachedLength = try exchange(frame, expecting: .cache, what: "cache reply") { p, e throws(EngineError) in
                var r = FrameReader(p, engine: e)
                _ = try r.u8("kind")
                let rows = Int(try r.u32("cached rows"))
                try r.finish("CACHE")
                return rows
            }
        } catch {
            broken = broken ?? error
        }
    }

    /// Sends a frame and decodes the reply. Reported engine errors leave the connection usable
    /// (the engine goes on serving); anything else breaks it.
    private func exchange<T>(_ frame: FrameWriter, expecting kind: EngineWire.Kind, what: String,
                             _ decode: ([UInt8], String) throws(EngineError) -> T) throws(EngineError) -> T {
        do {
            try connection.send(frame, waitingFor: "room to send (engine not reading)")
            let payload = try connection.receive(waitingFor: what)
            return try Self.expect(kind, payload, engine: connection.engine, decode)
        } catch {
            if case let .reported(_, code, _) = error, ![.malformed, .version, .tooLarge].contains(code) { throw error }
            broken = error
            connection.close()
            throw error
        }
    }

    private static func expect<T>(_ kind: EngineWire.Kind, _ payload: [UInt8], engine: String,
                                  _ decode: ([UInt8], String) throws(EngineError) -> T) throws(EngineError) -> T {
        let got = payload.first ?? 0
        if got == EngineWire.Kind.error.rawValue { throw try EngineMessages.error(payload, engine: engine) }
        guard got == kind.rawValue else {
            throw .malformed(engine: engine, reason: String(format: "frame kind 0x%02x where 0x%02x was expected", got, kind.rawValue))
        }
        return try decode(payload, engine)
    }
}
