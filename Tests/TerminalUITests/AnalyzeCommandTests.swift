import Foundation
import Testing
import TestSupport

/// `dllm-play analyze` through the real binary, on the committed demo trajectory.
@Suite("analyze command")
struct AnalyzeCommandTests {
    static let demo = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/tui/demo.jsonl").path

    @Test("prints AR-ness, emergence, revocations and the decode-order grid")
    func table() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["analyze", Self.demo], capturing: .standardOutput)
        #expect(result.status == 0)
        #expect(result.text.contains("AR-ness      0.978 over 17 useful positions"), "\(result.text)")
        #expect(result.text.contains("revocations  1 remasked, 1 ended different"), "\(result.text)")
        #expect(result.text.contains("  1 1 2 3 4 4 4 4 5 5 5 6 6 6 6 6"), "\(result.text)")
    }

    @Test("--json prints one object with every measure")
    func json() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["analyze", Self.demo, "--json"], capturing: .standardOutput)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.text.utf8)) as? [String: Any])
        #expect(object["steps"] as? Int == 7 && object["remasked"] as? Int == 1 && object["emergenceStep"] as? Int == 7)
        #expect((object["decodeOrder"] as? [Any])?.count == 24)
    }
}
