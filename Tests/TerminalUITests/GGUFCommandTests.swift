import Foundation
import Testing
import TestSupport

/// `dllm-play model-info FILE.gguf` through the real binary.
@Suite("model-info on GGUF files")
struct GGUFCommandTests {
    static let fixture = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/gguf/types.gguf")

    @Test("reports the architecture, tensor types and that the file does not run yet")
    func reportsFixture() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["model-info", Self.fixture.path], capturing: .standardOutput)
        #expect(result.status == 0)
        #expect(result.text.contains("GGUF v3") && result.text.contains("architecture llada"), "\(result.text)")
        #expect(result.text.contains("parameters   5632 in 11 tensors"), "\(result.text)")
        #expect(result.text.contains("Q4_K 1 (288 B)") && result.text.contains("BF16 1 (1.0 KiB)"), "\(result.text)")
    }

    @Test("a truncated file fails with the file, the byte and what was expected")
    func refusesTruncated() throws {
        let binary = try #require(EndToEndTests.binary, "dllm-play binary not found; build it with `swift build`")
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: cut) }
        try Data(contentsOf: Self.fixture).prefix(100).write(to: cut)
        let result = try ChildProcess.run(URL(fileURLWithPath: binary), ["model-info", cut.path], capturing: .standardError)
        #expect(result.status != 0)
        #expect(result.text.contains("\(cut.path): byte 8: tensor count: 11 is more than"), "\(result.text)")
    }
}
