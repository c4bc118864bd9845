import Foundation
import Recording
import TerminalUI
import Testing
import TestSupport

/// The asciicast export checked against the published format descriptions: v3 (header with a
/// `term` object, interval timestamps, an `x` exit event) and v2 (header with width/height,
/// absolute timestamps); both carry `m` markers at the steps worth jumping to.
@Suite struct CastExportTests {
    private func lines(_ version: CastExport.Version) throws -> (header: [String: Any], events: [[Any]]) {
        var options = CastExport.Options()
        options.version = version
        let text = try CastExport.cast(lanes: [SampleTrajectory.replay()], label: "demo", theme: .builtIn, options: options)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let events = try lines.dropFirst().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        for event in events {
            #expect(event.count == 3 && (event[0] as? Double).map { $0 >= 0 } == true && event[2] is String, "\(event)")
        }
        return (header, events)
    }

    private func markers(_ events: [[Any]]) -> [String] { events.filter { $0[1] as? String == "m" }.compactMap { $0[2] as? String } }

    @Test("v3: term object, intervals, markers at block, cache, remask and edit steps, an exit event last")
    func version3() throws {
        let (header, events) = try lines(.v3)
        #expect(header["version"] as? Int == 3 && header["width"] == nil)
        let term = try #require(header["term"] as? [String: Any])
        #expect(term["cols"] as? Int == 100 && term["rows"] as? Int == 30 && term["type"] as? String == "xterm-256color")
        #expect(Set(events.compactMap { $0[1] as? String }).isSubset(of: ["o", "m", "x"]))
        #expect(events.last?[1] as? String == "x" && events.last?[2] as? String == "0")
        // One output frame per step (7) plus step 0 and the cursor restore.
        #expect(events.filter { $0[1] as? String == "o" }.count == 7 + 1 + 1)
        #expect(markers(events) == [
            "step 1: block 0 opens [6, 14)", "step 1: cache build [0, 30)", "step 3: 1 remasked",
            "step 4: block 0 complete", "step 4: block 1 opens [14, 22)", "step 4: cache refresh [0, 30) (block-start)",
            "step 5: threshold 0.9 → 0.8", "step 6: block 2 opens [22, 30)", "step 7: block 2 complete",
        ])
        // Intervals: each frame 0.25 s after the one before; markers share their frame's time.
        let outputs = events.filter { $0[1] as? String == "o" }
        let total = events.compactMap { $0[0] as? Double }.reduce(0, +)
        #expect(abs(total - (7 * 0.25 + 2.0)) < 1e-9, "intervals sum to \(total)")
        #expect(outputs.dropFirst().dropLast().allSatisfy { $0[0] as? Double == 0.25 || $0[0] as? Double == 0 })
    }

    @Test("a branch lane gets a marker at the first step after its fork")
    func branchMarker() {
        let step = SampleTrajectory.steps()[3]
        let marked = castMarkers(step, lane: 1, branch: BranchOrigin(parentFile: "run.jsonl", step: 3))
        #expect(marked.first == "step 4 · lane 2: branches from run.jsonl after step 3")
        #expect(castMarkers(step, lane: 1, branch: BranchOrigin(parentFile: nil, step: 5)).allSatisfy { !$0.contains("branches") })
    }

    @Test("v2: width and height, absolute non-decreasing times, no exit event")
    func version2() throws {
        let (header, events) = try lines(.v2)
        #expect(header["version"] as? Int == 2 && header["width"] as? Int == 100 && header["height"] as? Int == 30)
        let times = events.compactMap { $0[0] as? Double }
        #expect(times == times.sorted() && times.last == 7 * 0.25 + 2.0)
        #expect(Set(events.compactMap { $0[1] as? String }).isSubset(of: ["o", "m"]))
        #expect(markers(events).count == 9)
        let frame = try #require(events.first { ($0[2] as? String)?.contains("step 1/7") == true })
        #expect(frame[0] as? Double == 0.25 && frame[1] as? String == "o")
    }

    @Test("asciinema's own v2 reader (Debian's asciinema 2) loads the v2 export: every frame and marker")
    func asciinemaReadsVersion2() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let module = "/usr/lib/python3/dist-packages/asciinema/asciicast/v2.py"
        guard FileManager.default.fileExists(atPath: module) else {
            Issue.record("asciinema not found: run scripts/install-deps")
            return
        }
        var options = CastExport.Options()
        options.version = .v2
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).cast")
        defer { try? FileManager.default.removeItem(at: cast) }
        try CastExport.cast(lanes: [SampleTrajectory.replay()], label: "demo", theme: .builtIn, options: options)
            .write(to: cast, atomically: true, encoding: .utf8)
        let script = """
        import sys
        from asciinema import asciicast
        with asciicast.open_from_url(sys.argv[1]) as cast:
            events = list(cast.events())
            print(cast.v2_header["width"], cast.v2_header["height"], len(events),
                  sum(1 for e in events if e[1] == "o"), sum(1 for e in events if e[1] == "m"))
        """
        let result = try ChildProcess.run(python, ["-c", script, cast.path], capturing: .standardOutput)
        #expect(result.status == 0)
        #expect(result.text.trimmingCharacters(in: .whitespacesAndNewlines) == "100 30 18 9 9", "\(result.text)")
    }
}
