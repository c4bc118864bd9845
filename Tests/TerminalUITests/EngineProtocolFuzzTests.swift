import Foundation
import Testing
import TestSupport

/// An engine that breaks the protocol (Tests/Fixtures/engine/fake-engine.py, standard-library
/// Python): each break is a one-line typed error, the process exits with status 2, nothing hangs
/// (a silent engine meets --engine-timeout), and a decode cut short keeps the steps it recorded
/// and ends with an `error` end record carrying the same message.
@Suite struct EngineProtocolFuzzTests {
    struct Case: Sendable, CustomStringConvertible {
        let mode: String
        let goodForwards: Int
        let expected: String
        var description: String { mode }
    }

    static let cases: [Case] = [
        Case(mode: "garbage-welcome", goodForwards: 0, expected: "frame payload of 1936287860 exceeds the protocol's cap of 1073741824"),
        Case(mode: "truncated-welcome", goodForwards: 0, expected: "closed the connection: stream ended 8 bytes into a 91-byte read"),
        Case(mode: "wrong-version", goodForwards: 0, expected: "version: engine speaks protocol version 7, this dllm-play speaks 1"),
        Case(mode: "exit-before-welcome", goodForwards: 0,
             expected: "exit status 3: fake engine: CUDA error: no kernel image is available for execution on the device"),
        Case(mode: "oversized-logits", goodForwards: 1, expected: "frame payload of 4294967280 exceeds the protocol's cap"),
        Case(mode: "truncated-logits", goodForwards: 1, expected: "closed the connection: stream ended 39 bytes into a"),
        Case(mode: "error-on-forward", goodForwards: 2, expected: "out-of-memory: CUDA out of memory. Tried to allocate 2.00 GiB"),
        Case(mode: "silent", goodForwards: 1, expected: "no LOGITS within 1 s (hint: --engine-timeout SECONDS)"),
        Case(mode: "wrong-kind", goodForwards: 1, expected: "malformed frame: frame kind 0x82 where 0x81 was expected"),
        Case(mode: "kill-mid-decode", goodForwards: 3, expected: "closed the connection"),
    ]

    @Test("a broken engine: one clear line, the steps before the break kept", arguments: cases)
    func brokenEngine(_ broken: Case) throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        let engine = "python3 '\(EngineTestSupport.fakeEngine)' \(broken.mode) \(broken.goodForwards)"
        let result = try EngineTestSupport.run(binary, ["--engine", engine, "--engine-timeout", "1", "--decoder", "llada",
                                                        "--gen-length", "16"])
        let error = result.outcome.standardError
        #expect(result.outcome.status == 2, "\(broken.mode): status \(result.outcome.status)\n\(error)")
        #expect(error.split(separator: "\n").count == 1, "\(broken.mode): expected one line:\n\(error)")
        #expect(error.contains(broken.expected), "\(broken.mode): \(error)")
        #expect(error.contains("engine python3 "), "\(broken.mode): the message names no engine: \(error)")
        guard broken.goodForwards > 0 else {
            #expect(result.lines.isEmpty, "\(broken.mode): a record before the handshake finished")
            return
        }
        // Header, one step per good forward (the llada decoder forwards once a step), error end.
        #expect(result.lines.count == broken.goodForwards + 2, "\(broken.mode): \(result.lines.count) lines")
        let end = result.lines.last ?? ""
        #expect(end.contains("\"reason\":\"error\""), "\(broken.mode): \(end)")
        #expect(end.contains("\"nfe\":\(broken.goodForwards)"), "\(broken.mode): \(end)")
        #expect(end.contains(broken.expected.replacingOccurrences(of: "\"", with: "\\\"")), "\(broken.mode): \(end)")
    }

    @Test("--engine values that cannot work are usage errors before anything starts",
          arguments: [("tcp://", "no port"), ("tcp://host", "no port"), ("tcp://:80", "no host"),
                      ("tcp://localhost:99999", "is not in 1...65535"), ("  ", "empty")])
    func badAddress(_ value: String, _ expected: String) throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        let result = try EngineTestSupport.run(binary, ["--engine", value])
        #expect(result.outcome.status != 0)
        #expect(result.outcome.standardError.contains(expected), "\(result.outcome.standardError)")
    }

    @Test("nothing listening at a tcp:// address: a connect error with a hint")
    func nothingListening() throws {
        guard let binary = EndToEndTests.binary else { Issue.record("dllm-play binary not found; build it with `swift build`"); return }
        let result = try EngineTestSupport.run(binary, ["--engine", "tcp://127.0.0.1:1"])
        #expect(result.outcome.status == 2)
        #expect(result.outcome.standardError.contains("cannot connect to engine tcp://127.0.0.1:1: Connection refused"),
                "\(result.outcome.standardError)")
    }
}
