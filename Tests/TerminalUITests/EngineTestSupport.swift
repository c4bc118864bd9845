import Foundation
import TestSupport

/// What the remote-engine tests share: the engine's virtual environment, model folders with the
/// tiny byte-level tokenizer, a TCP engine for many decodes, and trajectory comparison.
enum EngineTestSupport {
    /// `.build/engine-venv` (or DLLM_ENGINE_VENV), made by scripts/engine-venv (`make test` runs it).
    static var engineCommand: String? {
        let venv = ProcessInfo.processInfo.environment["DLLM_ENGINE_VENV"]
            .map { URL(fileURLWithPath: $0, relativeTo: Fixtures.repositoryRoot) }
            ?? Fixtures.repositoryRoot.appendingPathComponent(".build/engine-venv")
        let command = venv.appendingPathComponent("bin/dllm-play-engine").path
        return FileManager.default.isExecutableFile(atPath: command) ? command : nil
    }

    static let missingVenv = "the engine's virtual environment is absent: run ./scripts/engine-venv (make test does) to test the PyTorch engine"

    static let fakeEngine = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/engine/fake-engine.py").path

    /// A tiny checkpoint (`llada-tiny` or `dream-tiny`) with the byte-level tokenizer, in a temporary folder.
    static func tinyModel(_ fixture: String) throws -> URL {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-engine-model-\(UUID().uuidString)")
            .appendingPathComponent(fixture)
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        let source = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/modeling/\(fixture)")
        for file in ["config.json", "model.safetensors", "generation_config.json"]
        where FileManager.default.fileExists(atPath: source.appendingPathComponent(file).path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: model.appendingPathComponent(file))
        }
        try FileManager.default.copyItem(at: Fixtures.tui.appendingPathComponent("tiny-tokenizer.json"),
                                         to: model.appendingPathComponent("tokenizer.json"))
        return model
    }

    /// Runs `dllm-play run` with a recording; returns the outcome and the record's lines.
    static func run(_ binary: String, _ arguments: [String]) throws -> (outcome: ChildProcess.Outcome, lines: [String]) {
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("dllm-play-engine-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: record) }
        let outcome = try ChildProcess.run(URL(fileURLWithPath: binary),
                                           ["run", "--template", "raw", "--prompt", "the sea", "--no-timings", "--record", record.path]
                                               + arguments, input: Data())
        let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        return (outcome, text.split(separator: "\n").map(String.init))
    }

    /// Every commit, draft, remask and force-fill of a trajectory, as "step: kind position→token" lines.
    static func decisions(_ lines: [String]) -> [String] {
        lines.compactMap { line -> [String]? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = object["step"] as? Int, let events = object["events"] as? [[String: Any]] else { return nil }
            return events.flatMap { event -> [String] in
                let kind = event["kind"] as? String ?? ""
                guard ["commit", "draft", "remask", "force-fill"].contains(kind), let items = event["data"] as? [[String: Any]] else { return [] }
                return items.map { "\(step): \(kind) \($0["position"] ?? "?")→\($0["token"] ?? "-")" }
            }
        }.flatMap { $0 }
    }

    /// nil when two trajectories agree: the same structure, ids, decisions and text; numbers
    /// within `tolerance`; the header's `engine` field ignored. Otherwise the first difference.
    static func difference(_ a: [String], _ b: [String], tolerance: Double = 1e-4) -> String? {
        guard a.count == b.count else { return "\(a.count) lines against \(b.count)" }
        for (i, (x, y)) in zip(a, b).enumerated() {
            guard let u = try? JSONSerialization.jsonObject(with: Data(x.utf8)),
                  let v = try? JSONSerialization.jsonObject(with: Data(y.utf8)) else { return "line \(i + 1) is not JSON" }
            if let d = difference(u, v, path: "line \(i + 1)", tolerance: tolerance) { return d }
        }
        return nil
    }

    private static func difference(_ a: Any, _ b: Any, path: String, tolerance: Double) -> String? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for key in Set(x.keys).union(y.keys).subtracting(["engine"]).sorted() {
                guard let u = x[key], let v = y[key] else { return "\(path).\(key) present on one side only" }
                if let d = difference(u, v, path: "\(path).\(key)", tolerance: tolerance) { return d }
            }
            return nil
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return "\(path): \(x.count) elements against \(y.count)" }
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = difference(u, v, path: "\(path)[\(i)]", tolerance: tolerance) { return d }
            }
            return nil
        case let (x as String, y as String):
            return x == y ? nil : "\(path): \"\(x)\" against \"\(y)\""
        case let (x as NSNumber, y as NSNumber):
            // Ids, positions and counts differ by at least 1 when they differ: the tolerance keeps them exact.
            return abs(x.doubleValue - y.doubleValue) <= tolerance ? nil : "\(path): \(x) against \(y)"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path): \(a) against \(b)"
        }
    }
}

/// `dllm-play-engine --listen 127.0.0.1:0` for the duration of a test: one model load, many decodes.
final class ListeningEngine {
    let process = Process()
    let port: Int
    private let errors = Pipe()

    init(command: String, model: URL) throws {
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = ["--model", model.path, "--listen", "127.0.0.1:0", "--threads", "1"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        // The engine names its port on standard error once the model is loaded.
        var text = ""
        while !text.contains("listening on") || !text.hasSuffix("\n") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
              let port = Int(line.split(separator: ":").last ?? "") else {
            process.terminate()
            throw EngineStartFailure(output: text)
        }
        self.port = port
    }

    var address: String { "tcp://127.0.0.1:\(port)" }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct EngineStartFailure: Error, CustomStringConvertible {
    let output: String
    var description: String { "the engine did not start listening:\n\(output)" }
}
