import ArgumentParser
import Foundation
import TerminalUI
import Tokenization

/// `dllm-play tokenize`: the ids and pieces a model's tokenizer makes of a text, and (`--bench`)
/// how fast it encodes.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the ids and pieces the model sees for a text (--json), or measure encoding speed (--bench FILE).")

    @Option(help: "A model folder holding tokenizer.json, a tokenizer.json file, or a .gguf file.")
    var model = "Models/llada-mini"

    @Option(help: "Render the text in a chat template first: raw, lladaInstruct or dreamInstruct.")
    var template = ChatTemplate.raw

    @Flag(help: "Print a JSON object with \"ids\" and \"pieces\" (the vocabulary strings).")
    var json = false

    @Option(help: "Encode this file and print the encoding speed in MB/s instead.")
    var bench: String?

    @Argument(help: "The text to tokenize.")
    var text: String?

    func run() throws {
        let tokenizer = try ModelSource.tokenizer(URL(fileURLWithPath: model))
        if let bench {
            try runBenchmark(file: bench)
            return
        }
        let chatTemplate = template
        guard let text else { throw ValidationError("give the text to tokenize, or --bench FILE") }
        let ids = try tokenizer.encodeChat(user: text, template: chatTemplate)
        if json {
            let object: [String: Any] = ["ids": ids, "pieces": ids.map { tokenizer.piece(for: $0) ?? "" }]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(ids.count) tokens: \(ids.map(String.init).joined(separator: " "))")
        for id in ids {
            let mark = tokenizer.isSpecial(id) ? "  (special)" : ""
            print(String(repeating: " ", count: max(0, 8 - String(id).count)) + "\(id)  \(PlainReport.printable(tokenizer.displayPiece(for: id)))\(mark)")
        }
    }

    /// Encodes the whole file four times, each with a freshly loaded tokenizer (an empty word
    /// cache), and reports the best pass in MB/s; loading is not timed.
    private func runBenchmark(file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let text = String(decoding: data, as: UTF8.self)
        let megabytes = Double(text.utf8.count) / 1_000_000
        var timings: [Double] = []
        var tokenCount = 0
        for _ in 0..<4 {
            let tokenizer = try ModelSource.tokenizer(URL(fileURLWithPath: model))
            let start = DispatchTime.now().uptimeNanoseconds
            tokenCount = tokenizer.encode(text).count
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let best = timings.min() ?? 1
        print(String(format: "tokenizer %@, text %@: %.2f MB, %d tokens (%.2f bytes/token)", model, file, megabytes,
                     tokenCount, Double(text.utf8.count) / Double(max(tokenCount, 1))))
        print("pass times: " + timings.map { String(format: "%.3f s", $0) }.joined(separator: ", "))
        print(String(format: "encode: %.2f MB/s (best of %d passes, cold word cache each)", megabytes / best, timings.count))
    }
}
