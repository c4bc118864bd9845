import Foundation

/// One task with a known answer. Stored as a JSON Lines record:
/// {"id": "addition-0001", "task": "addition", "prompt": "...", "answer": "579", "scorer": "exact"}
public struct TaskItem: Codable, Sendable, Equatable {
    public var id: String
    public var task: String
    /// The user message, without chat template.
    public var prompt: String
    public var answer: String
    public var scorer: Scorer

    public init(id: String, task: String, prompt: String, answer: String, scorer: Scorer) {
        self.id = id
        self.task = task
        self.prompt = prompt
        self.answer = answer
        self.scorer = scorer
    }
}

/// A named list of tasks, read from a suite file or folder.
public struct TaskSuite: Sendable {
    public var name: String
    public var items: [TaskItem]

    public init(name: String, items: [TaskItem]) {
        self.name = name
        self.items = items
    }

    /// Reads a suite: a `.jsonl` file in our format, a GSM8K-style `.jsonl` ({"question", "answer"}
    /// with the number after "####"), or a folder of `.jsonl` files (their items concatenated in
    /// file-name order).
    public static func load(from url: URL) throws(SuiteError) -> TaskSuite {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .missing(url.path)
        }
        if isDirectory.boolValue {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
                .filter { $0.hasSuffix(".jsonl") }.sorted()
            guard !files.isEmpty else { throw .empty(url.path) }
            var items: [TaskItem] = []
            for file in files { items += try load(from: url.appendingPathComponent(file)).items }
            return TaskSuite(name: url.lastPathComponent, items: items)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(url.path) }
        let text = String(decoding: data, as: UTF8.self)
        var items: [TaskItem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            items.append(try parseLine(trimmed, file: url.path, line: index + 1, fallbackTask: url.deletingPathExtension().lastPathComponent))
        }
        guard !items.isEmpty else { throw .empty(url.path) }
        return TaskSuite(name: url.deletingPathExtension().lastPathComponent, items: items)
    }

    private struct GSM8KRecord: Decodable { var question: String; var answer: String }

    static func parseLine(_ line: String, file: String, line number: Int, fallbackTask: String) throws(SuiteError) -> TaskItem {
        let data = Data(line.utf8)
        if let item = try? JSONDecoder().decode(TaskItem.self, from: data) { return item }
        if let record = try? JSONDecoder().decode(GSM8KRecord.self, from: data) {
            guard let number = GSM8KAnswer.finalNumber(in: record.answer) else {
                throw .malformed(file, number, "a GSM8K answer ending in \"#### N\" or containing a number")
            }
            return TaskItem(id: "\(fallbackTask)-\(number)", task: fallbackTask, prompt: record.question,
                            answer: number, scorer: .answerIs)
        }
        throw .malformed(file, number, "{\"id\",\"task\",\"prompt\",\"answer\",\"scorer\"} or {\"question\",\"answer\"}")
    }
}

/// GSM8K's reference answers end in "#### N".
enum GSM8KAnswer {
    static func finalNumber(in text: String) -> String? {
        if let range = text.range(of: "####") {
            return NumberExtraction.numbers(in: String(text[range.upperBound...])).first
        }
        return NumberExtraction.numbers(in: text).last
    }
}

public enum SuiteError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case unreadable(String)
    case empty(String)
    case malformed(String, Int, String)

    public var description: String {
        switch self {
        case .missing(let path): "suite \(path) does not exist (hint: see suites/ for the shipped suites)"
        case .unreadable(let path): "suite \(path) cannot be read"
        case .empty(let path): "suite \(path) holds no tasks (expected JSON Lines records)"
        case let .malformed(path, line, expected): "\(path):\(line): expected \(expected)"
        }
    }
}
