import Foundation

/// Where forward passes run, from `--engine`: `local` (this process, OpenBLAS), `tcp://HOST:PORT`,
/// or any other text as a command run by `/bin/sh -c` speaking the protocol on its standard streams.
public enum EngineAddress: Sendable, Equatable, CustomStringConvertible {
    case local
    case tcp(host: String, port: Int)
    case command(String)

    /// Parses an `--engine` value; a malformed `tcp://` address is an error naming the expected form.
    public init(parsing text: String) throws(EngineAddressError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw EngineAddressError(text: text, reason: "empty") }
        if trimmed == "local" { self = .local; return }
        guard trimmed.hasPrefix("tcp://") else { self = .command(trimmed); return }
        let rest = trimmed.dropFirst("tcp://".count)
        // [v6::addr]:port or host:port
        let host: Substring, portText: Substring
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(after: close)...].drop { $0 == ":" }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            throw EngineAddressError(text: text, reason: "no port")
        }
        guard !host.isEmpty else { throw EngineAddressError(text: text, reason: "no host") }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw EngineAddressError(text: text, reason: "port \"\(portText)\" is not in 1...65535")
        }
        self = .tcp(host: String(host), port: port)
    }

    public var description: String {
        switch self {
        case .local: "local"
        case let .tcp(host, port): host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case let .command(command): command
        }
    }
}

public struct EngineAddressError: Error, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String {
        "--engine \"\(text)\": \(reason) (expected local, tcp://HOST:PORT, or a command such as "
            + "\"ssh gpu1 dllm-play-engine --model /data/LLaDA-8B-Instruct\")"
    }
}
