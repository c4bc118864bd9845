/// What can go wrong between dllm-play and a remote engine. Every message is one line naming the
/// engine (its command or address), what happened, and a hint where one helps.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// The engine answered with an ERROR frame.
    case reported(engine: String, code: EngineErrorCode, message: String)
    /// A frame from the engine does not follow the protocol.
    case malformed(engine: String, reason: String)
    /// A length in a frame is beyond its cap (docs/engine-protocol.md § Frames).
    case tooLarge(engine: String, what: String, value: Int, cap: Int)
    /// The stream closed; `detail` is the engine's exit status and last standard-error line, when known.
    case disconnected(engine: String, detail: String)
    case timedOut(engine: String, seconds: Double, waitingFor: String)
    case launchFailed(engine: String, reason: String)
    case connectFailed(engine: String, reason: String)
    /// The request cannot be expressed on the wire (e.g. a negative id).
    case unencodable(engine: String, reason: String)

    public var description: String {
        switch self {
        case let .reported(engine, code, message): "engine \(engine): \(code): \(message)"
        case let .malformed(engine, reason): "engine \(engine): malformed frame: \(reason) (hint: is the command a dllm-play-engine "
            + "of protocol version \(EngineWire.version), and does nothing else write to its standard output?)"
        case let .tooLarge(engine, what, value, cap): "engine \(engine): \(what) of \(value) exceeds the protocol's cap of \(cap)"
            + (what == "frame payload" ? " (hint: does something else write to the engine's standard output?)" : "")
        case let .disconnected(engine, detail): "engine \(engine) closed the connection" + (detail.isEmpty ? "" : ": \(detail)")
        case let .timedOut(engine, seconds, waitingFor):
            "engine \(engine): no \(waitingFor) within \(Self.format(seconds)) s (hint: --engine-timeout SECONDS)"
        case let .launchFailed(engine, reason): "cannot start engine \(engine): \(reason)"
        case let .connectFailed(engine, reason): "cannot connect to engine \(engine): \(reason) "
            + "(hint: start it with dllm-play-engine --model FOLDER --listen HOST:PORT)"
        case let .unencodable(engine, reason): "engine \(engine): cannot send request: \(reason)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
