import Foundation
import Testing
import TestSupport

/// The worker pool's size comes from DLLM_THREADS (else the cores the process may run on), and
/// no result may depend on it: GEMM bands are fixed by the shape, splits are bit-identical.
@Suite("thread count")
struct ThreadCountTests {
    private func run(_ arguments: [String], threads: String) throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["DLLM_THREADS"] = threads
        return try ChildProcess.run(HostileInputTests.binary(), arguments, input: Data(), environment: environment)
    }

    @Test("--version reports DLLM_THREADS; an invalid value falls back to the cores")
    func versionReportsTheThreadCount() throws {
        #expect(try run(["--version"], threads: "3").standardOutput.contains("3 thread(s)"))
        let fallback = try run(["--version"], threads: "many")
        #expect(fallback.status == 0 && fallback.standardOutput.contains(" thread(s)"))
        #expect(!fallback.standardOutput.contains("many"))
    }

    @Test("a recorded decode of the embedded model is byte-identical on 1, 2 and 5 threads")
    func recordingDoesNotDependOnTheThreadCount() throws {
        let arguments = ["run", "--prompt", "Count from 1 to 20.", "--gen-length", "64", "--decoder", "fast-dllm",
                         "--set", "cache=dual", "--no-timings", "--record", "-"]
        let one = try run(arguments, threads: "1")
        #expect(one.status == 0, "\(one.standardError)")
        #expect(one.standardOutput.contains("\"commit\""))
        for threads in ["2", "5"] {
            #expect(try run(arguments, threads: threads).standardOutput == one.standardOutput, "\(threads) threads")
        }
    }
}
