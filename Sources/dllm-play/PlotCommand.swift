import ArgumentParser
import Evaluation
import Foundation
import Recording

/// `dllm-play plot REPORT.json`: the results page's SVG plots (AR-ness and emergence per setting,
/// the decode-order heat map of a typical item) from a report `bench --json` wrote.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "SVG plots of a bench report: AR-ness, answer emergence, decode-order heat map.",
        discussion: "Reads the per-item analysis a `bench --json` report carries; needs no model and runs no decode.")

    @Argument(help: "A report written by `dllm-play bench --json`.")
    var report: String

    @Option(help: "Folder to write the SVG files into (default: the report's folder).")
    var out: String?

    @Option(help: "File name prefix (default: the report's name without .json).")
    var prefix: String?

    @Option(help: "Also write a Markdown section embedding the plots.")
    var markdown: String?

    @Option(name: .customLong("link-prefix"), help: "Prefix of each image link in the Markdown (e.g. results/ for docs/results.md).")
    var linkPrefix = ""

    func run() throws {
        let url = URL(fileURLWithPath: report)
        guard FileManager.default.fileExists(atPath: report) else {
            throw PlaygroundLauncher.fail("\(report): no such file (hint: `dllm-play bench --json FILE` writes a report)")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PlaygroundLauncher.fail("cannot read \(report): \(error.localizedDescription)")
        }
        let decoded: BenchReport
        do { decoded = try JSONDecoder().decode(BenchReport.self, from: data) } catch {
            throw PlaygroundLauncher.fail("\(report): not a bench report: \(Self.describe(error)) (hint: pass the file `dllm-play bench --json` wrote)")
        }
        let parent = (report as NSString).deletingLastPathComponent
        let folder = out ?? (parent.isEmpty ? "." : parent)
        let stem = prefix ?? url.deletingPathExtension().lastPathComponent
        let files = ResultPlots.files(decoded, prefix: stem)
        if files.isEmpty { print("\(report): no analysis columns to plot (a report written before bench recorded them)") }
        for file in files {
            let path = (folder as NSString).appendingPathComponent(file.name)
            do { try OutputFile.write(Data(file.svg.utf8), to: path) } catch { throw PlaygroundLauncher.fail("\(error)") }
            print("wrote \(path)")
        }
        if let markdown {
            let section = ResultPlots.markdown(files, title: "\(decoded.suite): plots", linkPrefix: linkPrefix)
            do { try OutputFile.write(Data(section.utf8), to: markdown) } catch { throw PlaygroundLauncher.fail("\(error)") }
            print("wrote \(markdown)")
        }
    }

    /// A JSON decoding error as "at results[3].outcome.nfe: expected Int" rather than its dump.
    static func describe(_ error: Error) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "at the top level" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error as? DecodingError {
        case .typeMismatch(let type, let context): return "\(at(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(at(context.codingPath)): missing \(type)"
        case .keyNotFound(let key, let context): return "\(at(context.codingPath)): missing key '\(key.stringValue)'"
        case .dataCorrupted(let context): return "\(at(context.codingPath)): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
