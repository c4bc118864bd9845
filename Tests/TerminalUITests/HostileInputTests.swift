import Foundation
import Testing
import TestSupport

/// Every input is untrusted: each case runs the real binary on a hostile trajectory, flag or
/// output path and checks it neither crashes nor hangs nor accepts the input silently nor
/// replaces what the user named.
@Suite("hostile input")
struct HostileInputTests {
    static func binary() throws -> URL {
        guard let path = EndToEndTests.binary else { throw BinaryMissing() }
        return URL(fileURLWithPath: path)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "dllm-play binary not found; build it with `swift build`" }
    }

    static func run(_ arguments: [String], input: Data = Data()) throws -> ChildProcess.Outcome {
        try ChildProcess.run(binary(), arguments, input: input)
    }

    static func temporary(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    /// demo.jsonl as JSON objects, one per line.
    static func demo() throws -> [[String: Any]] {
        let text = try String(contentsOf: Fixtures.tui.appendingPathComponent("demo.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    static func encode(_ lines: [[String: Any]]) throws -> Data {
        var data = Data()
        for line in lines {
            data += try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            data.append(0x0A)
        }
        return data
    }

    /// demo.jsonl with the first event of `kind` in step 1 edited.
    static func demo(editing kind: String, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var lines = try demo()
        var events = lines[1]["events"] as! [[String: Any]]
        let index = events.firstIndex { $0["kind"] as? String == kind }!
        var data = events[index]["data"] as! [[String: Any]]
        edit(&data[0])
        events[index]["data"] = data
        lines[1]["events"] = events
        return try encode(lines)
    }

    static let badNumbers: [(String, String, @Sendable (inout [String: Any]) -> Void)] = [
        ("probability 1e300", "predict", { p in p["probabilities"] = [1e300] + (p["probabilities"] as! [Double]).dropFirst() }),
        ("confidence 1e300", "commit", { $0["confidence"] = 1e300 }),
        ("confidence NaN", "commit", { $0["confidence"] = "nan" }),
        ("commit at position -1", "commit", { $0["position"] = -1 }),
    ]

    @Test("numbers and positions that crashed export and replay stop the read at their line, status 65",
          arguments: badNumbers.indices)
    func badNumbersStop(index: Int) throws {
        let (name, kind, edit) = Self.badNumbers[index]
        let file = try Self.temporary("bad.jsonl")
        try Self.demo(editing: kind, edit).write(to: file)
        let cast = file.deletingLastPathComponent().appendingPathComponent("bad.cast")
        let exported = try Self.run(["export", file.path, "--cast", cast.path])
        #expect(exported.status == 65, "\(name): export status \(exported.status): \(exported.standardError)")
        #expect(exported.standardOutput.contains("0 steps"), "\(name): \(exported.standardOutput)")
        #expect(FileManager.default.fileExists(atPath: cast.path))
        for arguments in [["replay", file.path, "--plain"], ["replay", "-", "--plain"]] {
            let replayed = try Self.run(arguments, input: Data(contentsOf: file))
            #expect(replayed.status == 65, "\(name) \(arguments): status \(replayed.status): \(replayed.standardError)")
            #expect(replayed.standardError.split(separator: "\n").count == 1, "\(name): \(replayed.standardError)")
            #expect(replayed.standardError.contains("stopped at line 2 (step 1)"), "\(name): \(replayed.standardError)")
            #expect(replayed.standardOutput.contains("0 steps, NFE 0, not finished"), "\(name): \(replayed.standardOutput)")
        }
    }

    @Test("standard input and a file of the same bytes print the same lines and stop at the same place")
    func standardInputMatchesFile() throws {
        let data = try Self.demo(editing: "commit") { $0["position"] = -1 }
        let file = try Self.temporary("negative.jsonl")
        try data.write(to: file)
        let fromFile = try Self.run(["replay", file.path, "--plain"])
        let fromStandardInput = try Self.run(["replay", "-", "--plain"], input: data)
        #expect(fromFile.standardOutput == fromStandardInput.standardOutput)
        #expect(fromFile.status == fromStandardInput.status)
        #expect(fromFile.standardError.replacingOccurrences(of: file.path, with: "standard input") == fromStandardInput.standardError)
    }

    @Test("escape sequences in a trajectory's texts never reach the terminal in plain output")
    func controlCharactersStripped() throws {
        var lines = try Self.demo()
        lines[0]["promptText"] = "hi \u{1B}[31mRED\u{1B}]0;title\u{07} \u{9B}2J"
        var end = lines[lines.count - 1]
        end["answerText"] = "ok\u{1B}[2J\u{1B}c done"
        lines[lines.count - 1] = end
        let data = try Self.encode(lines)
        for arguments in [["replay", "-", "--plain"]] {
            let result = try Self.run(arguments, input: data)
            #expect(result.status == 0, "\(result.standardError)")
            let controls = result.standardOutput.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
            }
            #expect(controls.isEmpty, "control characters reached the output: \(controls.map(\.value))")
            #expect(result.standardOutput.contains("RED") && result.standardOutput.contains("done"))
        }
        // A theme file's bad value is quoted in a warning: quoted without its escape sequence.
        let theme = try Self.temporary("evil.theme")
        try Data("text_fg = \u{1B}[31mred\n".utf8).write(to: theme)
        let cast = theme.deletingLastPathComponent().appendingPathComponent("out.cast")
        let exported = try Self.run(["export", Fixtures.tui.appendingPathComponent("demo.jsonl").path, "--cast", cast.path,
                                     "--theme", theme.path])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardError.contains("invalid value") && !exported.standardError.contains("\u{1B}"),
                "\(exported.standardError.debugDescription)")
    }

    @Test("replay - reads a long line in linear time and refuses one past the cap with a clear stop; /dev/zero ends")
    func longLines() throws {
        var lines = try Self.demo()
        var step = lines[1]
        step["tokenTexts"] = ["9999": String(repeating: "x", count: 8 << 20)]
        lines[1] = step
        let long = try Self.run(["replay", "-", "--plain"], input: Self.encode(lines))
        #expect(long.status == 0, "\(long.standardError)")
        #expect(long.standardOutput.contains("step 7"), "\(long.standardOutput.prefix(300))")

        var tooLong = try Self.encode([Self.demo()[0]])
        tooLong += Data(repeating: 0x20, count: (64 << 20) + 1)
        tooLong += Data("\n".utf8)
        let refused = try Self.run(["replay", "-", "--plain"], input: tooLong)
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(refused.standardError.contains("a line of 67108865 bytes or more"), "\(refused.standardError)")

        // An endless input without a newline ends at the cap instead of filling memory.
        let endless = try Self.run(["replay", "/dev/zero", "--plain"])
        #expect(endless.status == 2, "\(endless.standardError)")
        #expect(endless.standardError.contains("/dev/zero:1: expected lines of at most 67108864 bytes"), "\(endless.standardError)")
    }

    @Test("extreme integer options are usage errors: one line naming the subcommand and its usage, status 64",
          arguments: [
            ["run", "--gen-length", "9223372036854775807", "--prompt", "x"],
            ["model-info", "Models/llada-mini", "--length", "2147483648"],
            ["model-info", "Models/llada-mini", "--length", "9223372036854775807"],
            ["model-info", "Models/llada-mini", "--length", "0"],
            ["play", "--gen-length", "0"],
            ["--gen-length", "-1"],
            ["bench", "--runs", "0"],
            ["bench", "--limit", "0"],
            ["bench", "--decoders", ","],
            ["bench", "--sweep", "nokey=1"],
            ["replay", "Tests/Fixtures/tui/demo.jsonl", "--plain", "--theme", "no-such-theme"],
            ["export", "Tests/Fixtures/tui/demo.jsonl", "--cast", "/dev/null", "--theme", "no-such-theme"],
            ["tokenize", "--template", "nope", "x"],
          ])
    func usageErrors(arguments: [String]) throws {
        let result = try ChildProcess.run(Self.binary(), arguments, input: Data(), workingDirectory: Fixtures.repositoryRoot)
        let name = arguments[0].hasPrefix("-") ? "play" : arguments[0]
        #expect(result.status == 64, "\(arguments): status \(result.status)\n\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("dllm-play \(name): "), "\(result.standardError)")
        #expect(result.standardError.contains("(usage: dllm-play \(name) "), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("--record writes into the path the user named: through a symlink, into a FIFO, in place; never into a directory")
    func recordInPlace() throws {
        let model = Fixtures.repositoryRoot.appendingPathComponent("Models/llada-mini").path
        let decode = ["run", "--model", model, "--gen-length", "32", "--prompt", "What is 2 + 3?", "--no-timings"]
        let folder = try Self.temporary("x").deletingLastPathComponent()

        // A regular file keeps its inode (no temporary file renamed over it).
        let file = folder.appendingPathComponent("record.jsonl")
        try Data("old".utf8).write(to: file)
        let inode = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
        #expect(try Self.run(decode + ["--record", file.path]).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int == inode)
        let recorded = try Data(contentsOf: file)
        #expect(recorded.starts(with: Data("{\"canvasLength\"".utf8)))

        // A symlink is followed: the link stays, its target gets the trajectory.
        let target = folder.appendingPathComponent("target.jsonl"), link = folder.appendingPathComponent("link.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(try Self.run(decode + ["--record", link.path]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try Data(contentsOf: target) == recorded)

        // A FIFO stays a FIFO and its reader gets every line.
        let fifo = folder.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let reader = open(fifo.path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = decode + ["--record", fifo.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(reader, &buffer, buffer.count)
            if count > 0 { received += buffer[0..<count]; continue }
            if !process.isRunning && count == 0 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(received == recorded)
        var info = stat()
        #expect(stat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")

        // A directory is refused with one line.
        let refused = try Self.run(decode + ["--record", folder.path])
        #expect(refused.status != 0)
        #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("Is a directory"), "\(refused.standardError)")
    }
}
