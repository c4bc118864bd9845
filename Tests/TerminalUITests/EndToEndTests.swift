import Foundation
import Testing
import TestSupport

/// Runs the built `dllm-play` in a real terminal (tmux): replays the demo trajectory, sends keys,
/// reads the screen back, and checks that quitting restores the terminal.
@Suite(.serialized) struct EndToEndTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var binary: String? {
        var candidates: [String] = []
        if let test = Bundle.main.executablePath {
            var folder = URL(fileURLWithPath: test).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("dllm-play").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        for configuration in ["debug", "release"] {
            candidates.append(Fixtures.repositoryRoot.appendingPathComponent(".build/\(configuration)/dllm-play").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Terminal {
        let tmux: String
        let session = "dllm-play-e2e-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            try ChildProcess.run(URL(fileURLWithPath: tmux), arguments).text
        }

        /// Starts the session. When no tmux server runs yet, this call starts one, and the server
        /// would inherit every open descriptor of the test process, among them the pipe that
        /// `swift test` reads the results from: `swift test` would then wait forever for its end
        /// (seen on a fresh machine). So descriptors above 2 are closed before tmux runs.
        func start() throws {
            let arguments = [tmux, "new-session", "-d", "-s", session, "-x", "100", "-y", "30", "env", "-i", "PATH=/usr/bin:/bin",
                             "TERM=xterm-256color", "LANG=C.UTF-8", "HOME=/tmp", "bash", "--norc", "--noprofile"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])"] + arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
        func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }
        func stop() { _ = try? run(["kill-session", "-t", session]) }

        /// Polls the screen until `predicate` holds (or `seconds` pass); returns the last screen.
        func wait(_ seconds: Double = 10, until predicate: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var text = try screen()
            while !predicate(text) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                text = try screen()
            }
            return text
        }
    }

    static func viewedStep(_ screen: String) -> Int? {
        guard let range = screen.range(of: #" step (\d+)/7"#, options: .regularExpression) else { return nil }
        return Int(screen[range].dropFirst(6).prefix { $0.isNumber })
    }

    @Test("replay in a real terminal: steps advance, keys work, help opens, quit restores the terminal",
          .enabled(if: tmux != nil, "tmux is not installed: end-to-end terminal test skipped"))
    func replayInTmux() throws {
        guard let binary = Self.binary else {
            Issue.record("dllm-play binary not found next to the tests or under .build; build it with `swift build`")
            return
        }
        let terminal = Terminal(tmux: Self.tmux!)
        try terminal.start()
        defer { terminal.stop() }
        let prompt = "E2E-READY$"
        try terminal.keys("PS1='\(prompt) '; clear", "Enter")
        _ = try terminal.wait { $0.contains(prompt) }
        let fixture = Fixtures.tui.appendingPathComponent("demo.jsonl").path
        try terminal.keys("'\(binary)' replay '\(fixture)'", "Enter")

        // Playing at 4 steps/s: the step counter moves on its own and reaches the end.
        let early = try terminal.wait { $0.contains("dllm-play · replay demo.jsonl") }
        #expect(early.contains("─ canvas · fast-dllm"), "UI did not start:\n\(early)")
        let finished = try terminal.wait { Self.viewedStep($0) == 7 }
        #expect(Self.viewedStep(finished) == 7, "steps did not advance:\n\(finished)")
        #expect(finished.contains("quiet song."))

        // Scrub: first step, then single steps.
        try terminal.keys("g")
        let first = try terminal.wait { Self.viewedStep($0) == 0 }
        #expect(Self.viewedStep(first) == 0 && first.contains("paused"), "g did not go to step 0:\n\(first)")
        try terminal.keys(".")
        try terminal.keys(".")
        let second = try terminal.wait { Self.viewedStep($0) == 2 }
        #expect(Self.viewedStep(second) == 2, "single steps did not advance:\n\(second)")

        // Help overlay opens and closes.
        try terminal.keys("?")
        let help = try terminal.wait { $0.contains("pause / resume") }
        #expect(help.contains("pause / resume") && help.contains("this help"), "help did not open:\n\(help)")
        try terminal.keys("Escape")
        let closed = try terminal.wait { !$0.contains("pause / resume") }
        #expect(!closed.contains("pause / resume"))

        // Quit: the alternate screen is left and the shell prompt is back.
        try terminal.keys("q")
        let after = try terminal.wait { screen in
            !screen.contains("─ canvas ·") && screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(prompt) == true
        }
        #expect(!after.contains("─ canvas ·"), "UI still on screen after q:\n\(after)")
        #expect(after.contains(prompt))
        let alternate = try terminal.run(["display-message", "-p", "-t", terminal.session, "#{alternate_on}"])
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test("SIGTERM, and a crash signal, restore the terminal too",
          .enabled(if: tmux != nil, "tmux is not installed: end-to-end terminal test skipped"),
          arguments: [(SIGTERM, 143), (SIGSEGV, 139)])
    func signalRestores(signal: Int32, status: Int) throws {
        guard let binary = Self.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        let terminal = Terminal(tmux: Self.tmux!)
        try terminal.start()
        defer { terminal.stop() }
        let prompt = "E2E-READY$"
        try terminal.keys("PS1='\(prompt) '; clear", "Enter")
        _ = try terminal.wait { $0.contains(prompt) }
        let fixture = Fixtures.tui.appendingPathComponent("demo.jsonl").path
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(terminal.session).pid").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        try terminal.keys("sh -c 'echo $$ > \(pidFile); exec \"$0\" replay \"$1\"' '\(binary)' '\(fixture)'; echo EXIT=$?", "Enter")
        let running = try terminal.wait { $0.contains("─ canvas ·") }
        #expect(running.contains("─ canvas ·"), "UI did not start:\n\(running)")
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(text) else {
            Issue.record("no pid in \(pidFile)")
            return
        }
        kill(pid, signal)
        let after = try terminal.wait(15) { Self.exitStatus(in: $0) != nil }
        #expect(Self.exitStatus(in: after) == status, "expected exit status \(status):\n\(after)")
        #expect(!after.contains("─ canvas ·"))
    }

    @Test("replay - follows a trajectory piped into standard input; keys still come from the terminal",
          .enabled(if: tmux != nil, "tmux is not installed: end-to-end terminal test skipped"))
    func replayFromStandardInput() throws {
        guard let binary = Self.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        let terminal = Terminal(tmux: Self.tmux!)
        try terminal.start()
        defer { terminal.stop() }
        let prompt = "E2E-READY$"
        try terminal.keys("PS1='\(prompt) '; clear", "Enter")
        _ = try terminal.wait { $0.contains(prompt) }
        let fixture = Fixtures.tui.appendingPathComponent("demo.jsonl").path
        try terminal.keys("cat '\(fixture)' | '\(binary)' replay -", "Enter")
        let finished = try terminal.wait { Self.viewedStep($0) == 7 }
        #expect(finished.contains("replay stdin") && Self.viewedStep(finished) == 7, "stdin replay did not run:\n\(finished)")
        try terminal.keys("g")
        let first = try terminal.wait { Self.viewedStep($0) == 0 }
        #expect(Self.viewedStep(first) == 0, "keys were not read from the terminal:\n\(first)")
        try terminal.keys("q")
        let after = try terminal.wait { !$0.contains("─ canvas ·") }
        #expect(!after.contains("─ canvas ·"))
    }

    @Test("live play on the tiny fixture model: single step, resume, decoder switch, quit",
          .enabled(if: tmux != nil, "tmux is not installed: end-to-end terminal test skipped"))
    func livePlay() throws {
        guard let binary = Self.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        // The tiny LLaDA checkpoint of the modeling tests, with a small byte-level tokenizer.
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-e2e-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: model) }
        let tiny = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/modeling/llada-tiny")
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: tiny.appendingPathComponent(file), to: model.appendingPathComponent(file))
        }
        try FileManager.default.copyItem(at: Fixtures.tui.appendingPathComponent("tiny-tokenizer.json"),
                                         to: model.appendingPathComponent("tokenizer.json"))
        let terminal = Terminal(tmux: Self.tmux!)
        try terminal.start()
        defer { terminal.stop() }
        let prompt = "E2E-READY$"
        try terminal.keys("PS1='\(prompt) '; clear", "Enter")
        _ = try terminal.wait { $0.contains(prompt) }
        try terminal.keys("'\(binary)' play --model '\(model.path)' --template raw --prompt 'the sea' --gen-length 32 --set block_length=8 --paused", "Enter")
        let started = try terminal.wait { $0.contains("─ canvas · fast-dllm · step 0/0") }
        #expect(started.contains("─ canvas · fast-dllm · step 0/0") && started.contains("paused"), "live UI did not start paused:\n\(started)")
        try terminal.keys(".")
        let stepped = try terminal.wait { $0.contains("step 1/1") }
        #expect(stepped.contains("─ canvas · fast-dllm · step 1/1"), "single step did not decode one step:\n\(stepped)")
        try terminal.keys("+", "+", "+", "+", "+")  // as fast as steps arrive
        try terminal.keys(" ")
        let resumed = try terminal.wait { $0.contains("step 32/32") }
        #expect(resumed.contains("─ canvas · fast-dllm · step 32/32"), "resume did not decode to the end:\n\(resumed)")
        try terminal.keys("d")
        let switched = try terminal.wait { !$0.contains("─ canvas · fast-dllm") && $0.contains("─ canvas ·") }
        #expect(switched.contains("switching to"), "decoder switch did not happen:\n\(switched)")
        try terminal.keys("q")
        let after = try terminal.wait { !$0.contains("─ canvas ·") }
        #expect(!after.contains("─ canvas ·"))
    }

    @Test("Ctrl-C (SIGINT) restores the terminal",
          .enabled(if: tmux != nil, "tmux is not installed: end-to-end terminal test skipped"))
    func controlCRestores() throws {
        guard let binary = Self.binary else {
            Issue.record("dllm-play binary not found; build it with `swift build`")
            return
        }
        let terminal = Terminal(tmux: Self.tmux!)
        try terminal.start()
        defer { terminal.stop() }
        let prompt = "E2E-READY$"
        try terminal.keys("PS1='\(prompt) '; clear", "Enter")
        _ = try terminal.wait { $0.contains(prompt) }
        let fixture = Fixtures.tui.appendingPathComponent("demo.jsonl").path
        try terminal.keys("'\(binary)' replay '\(fixture)'; echo EXIT=$?", "Enter")
        let running = try terminal.wait { $0.contains("─ canvas ·") }
        #expect(running.contains("─ canvas ·"), "UI did not start:\n\(running)")
        try terminal.keys("C-c")
        let after = try terminal.wait(15) { Self.exitStatus(in: $0) != nil }
        #expect(Self.exitStatus(in: after) == 130, "expected exit status 130 after Ctrl-C:\n\(after)")
        #expect(!after.contains("─ canvas ·"))
    }

    /// The status printed by `echo EXIT=$?` once the command ended. The command line itself may
    /// wrap so that a screen line starts with the literal "EXIT=$?", which must not count.
    static func exitStatus(in screen: String) -> Int? {
        for line in screen.split(separator: "\n") where line.hasPrefix("EXIT=") {
            if let status = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) { return status }
        }
        return nil
    }
}
