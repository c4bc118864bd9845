import Foundation
import Recording
import TerminalUI
import Testing
import TestSupport

/// Both asciicast exports checked attribute by attribute and event by event against the published
/// format descriptions (`AsciicastSpec`), and the v2 export played by Debian's asciinema 2 (asciinema 3
/// is not packaged for Debian; `AsciinemaPlayerTests` plays v3 in asciinema's web player).
@Suite struct AsciicastSpecTests {
    private func export(_ version: CastExport.Version, lanes: Int = 1, ghosts: Bool = false, order: Bool = false) throws -> String {
        var options = CastExport.Options()
        options.version = version
        options.showGhosts = ghosts
        options.showOrder = order
        options.size = TerminalSize(columns: 120, rows: 40)
        return try CastExport.cast(lanes: Array(repeating: SampleTrajectory.replay(), count: lanes), label: "demo", theme: .builtIn,
                                   options: options)
    }

    @Test("every export conforms: one lane, compare lanes, ghosts", arguments: CastExport.Version.allCases)
    func exportsConform(version: CastExport.Version) throws {
        for (lanes, ghosts) in [(1, false), (2, false), (1, true)] {
            let text = try export(version, lanes: lanes, ghosts: ghosts)
            let problems = AsciicastSpec.violations(text, version: version.rawValue)
            #expect(problems.isEmpty, "v\(version.rawValue), \(lanes) lane(s), ghosts \(ghosts): \(problems)")
            // The size written is the size asked for, in each version's attribute.
            let header = try #require(try JSONSerialization.jsonObject(with: Data(text.prefix { $0 != "\n" }.utf8)) as? [String: Any])
            let term = header["term"] as? [String: Any]
            #expect((term?["cols"] ?? header["width"]) as? Int == 120 && (term?["rows"] ?? header["height"]) as? Int == 40)
        }
    }

    @Test("--order draws the decode-order map in every frame: steps where the tokens were")
    func orderMap() throws {
        let lastFrame = { (text: String) in
            text.split(separator: "\n").compactMap { AsciicastSpec.Event(String($0)) }.filter { $0.code == "o" }.dropLast().last?.data ?? ""
        }
        let plain = try export(.v3), order = try export(.v3, order: true)
        #expect(AsciicastSpec.violations(order, version: 3).isEmpty)
        #expect(lastFrame(plain).contains("Soft drops") && !lastFrame(order).contains("Soft drops"))
    }

    /// A hand-written file and the violation the checker must report (nil: none).
    struct Case: Sendable, CustomTestStringConvertible {
        var version: Int, lines: [String], expected: String?
        var testDescription: String { "v\(version): \(expected ?? "conforms")" }
        var text: String { lines.joined(separator: "\n") + "\n" }
    }

    static let term = #"{"version": 3, "term": {"cols": 80, "rows": 24}}"#
    static let size = #"{"version": 2, "width": 80, "height": 24}"#
    static let cases: [Case] = [
        Case(version: 3, lines: [#"{"version": 3, "term": {"cols": 80, "rows": 24}, "timestamp": 1700000000}"#, #"[0.5, "o", "a"]"#,
                                 #"[0.1, "x", "0"]"#], expected: nil),
        Case(version: 2, lines: [#"{"version": 2, "width": 80, "height": 24, "timestamp": 1700000000, "duration": 1.5}"#,
                                 #"[0.5, "o", "a"]"#, #"[1.0, "r", "90x30"]"#], expected: nil),
        Case(version: 3, lines: [#"{"version": 3, "width": 80, "height": 24}"#], expected: "'height' is not an attribute"),
        Case(version: 3, lines: [#"{"version": 3, "term": {"cols": 80}}"#], expected: "header.term.rows must be a positive integer"),
        Case(version: 3, lines: [#"{"version": "3", "term": {"cols": 80, "rows": 24}}"#], expected: "version must be the integer 3"),
        Case(version: 3, lines: [#"{"version": 3, "term": {"cols": 80, "rows": 24}, "timestamp": "today"}"#],
             expected: "timestamp must be an integer"),
        Case(version: 3, lines: [##"{"version": 3, "term": {"cols": 80, "rows": 24, "theme": {"fg": "#fff", "bg": "#000000", "palette": "#000000"}}}"##],
             expected: "header.term.theme.fg must be #rrggbb"),
        Case(version: 3, lines: [term, #"[-0.1, "o", "a"]"#], expected: "is negative"),
        Case(version: 3, lines: [term, #"[0.1, "z", "a"]"#], expected: "event code 'z'"),
        Case(version: 3, lines: [term, #"[0.1, "o", "a", 1]"#], expected: "not a [number, string, string]"),
        Case(version: 3, lines: [term, #"[true, "o", "a"]"#], expected: "not a [number, string, string]"),
        Case(version: 3, lines: [term, #"[0.1, "r", "80-24"]"#], expected: "is not COLSxROWS"),
        Case(version: 3, lines: [term, #"[0.1, "x", "ok"]"#], expected: "is not an integer"),
        Case(version: 3, lines: [term, #"[0.1, "x", "0"]"#, #"[0.1, "o", "a"]"#], expected: "after the exit event"),
        Case(version: 3, lines: ["# comment", term], expected: "not a comment"),
        Case(version: 2, lines: [#"{"version": 2, "width": 80, "height": 0}"#], expected: "height must be a positive integer"),
        Case(version: 2, lines: [size, #"[1.0, "o", "a"]"#, #"[0.5, "o", "b"]"#], expected: "goes back"),
        Case(version: 2, lines: [size, #"[1.0, "x", "0"]"#], expected: "event code 'x'"),
        Case(version: 2, lines: [size, "# note"], expected: "comments are not part of asciicast v2"),
        Case(version: 2, lines: [#"{"version": 2, "width": 80, "height": 24, "env": {"TERM": 1}}"#], expected: "env must map strings to strings"),
    ]

    @Test("the checker finds what the formats forbid", arguments: cases)
    func checkerCatches(_ example: Case) {
        let problems = AsciicastSpec.violations(example.text, version: example.version)
        if let expected = example.expected {
            #expect(problems.contains { $0.contains(expected) }, "expected '\(expected)' in \(problems)")
        } else {
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// asciinema 2's `cat` and `play` read their terminal from /dev/tty, so they run under
    /// `script` (util-linux) on a pseudo-terminal in raw mode, which passes their output through
    /// byte for byte.
    @Test("Debian's asciinema 2 plays the v2 export: `cat` and `play` write exactly its output events", arguments: ["cat", "play"])
    func asciinemaPlaysVersion2(command: String) throws {
        let asciinema = "/usr/bin/asciinema", script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: asciinema), FileManager.default.isExecutableFile(atPath: script.path) else {
            Issue.record("asciinema or script not found: run scripts/install-deps")
            return
        }
        let text = try export(.v2, lanes: 2)
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("play-\(UUID().uuidString).cast")
        defer { try? FileManager.default.removeItem(at: cast) }
        try text.write(to: cast, atomically: true, encoding: .utf8)
        // play: at 100× speed with pauses capped at 10 ms, so the 4-second recording takes well under a second.
        let player = command == "play" ? "\(asciinema) play -s 100 -i 0.01" : "\(asciinema) cat"
        let result = try ChildProcess.run(script, ["-qec", "stty raw -echo; \(player) '\(cast.path)'", "/dev/null"], capturing: .standardOutput)
        #expect(result.status == 0)
        let output = text.split(separator: "\n").dropFirst().compactMap { AsciicastSpec.Event(String($0)) }
            .filter { $0.code == "o" }.map(\.data).joined()
        #expect(result.text == output, "asciinema \(command) wrote \(result.text.utf8.count) bytes; the export's output events hold \(output.utf8.count)")
    }
}
