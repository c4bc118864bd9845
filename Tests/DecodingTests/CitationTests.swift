import Foundation
import Testing
import TestSupport

/// Code cites the project's own specification ("decoders.md §4.6", "design §6"); a citation that
/// names no section of `docs/decoders.md` or `docs/design.md` cannot be followed by a reader.
@Suite struct CitationTests {
    static let root = fixturesDirectory().deletingLastPathComponent().deletingLastPathComponent()

    /// Section numbers ("4", "4.6") of the markdown headings `## 4. …` and `### 4.6 …`.
    static func sections(of document: String) throws -> Set<String> {
        let text = try String(contentsOf: root.appendingPathComponent("docs/\(document)"), encoding: .utf8)
        var numbers: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("#") {
            let words = line.drop { $0 == "#" }.split(separator: " ")
            guard let first = words.first else { continue }
            let number = first.hasSuffix(".") ? String(first.dropLast()) : String(first)
            if number.first?.isNumber == true { numbers.insert(number) }
        }
        return numbers
    }

    /// Every source, test and README file that may cite the documents.
    static func citingFiles() -> [URL] {
        var files = [root.appendingPathComponent("README.md")]
        for folder in ["Sources", "Tests", "tools", "training"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if ["swift", "py", "md", "sh"].contains(url.pathExtension) { files.append(url) }
            }
        }
        return files
    }

    /// The citations in `text`: (document, section) pairs. "decoders.md §4.2–§4.7" cites 4.2 and 4.7;
    /// a bare "§4.6" with a dot cites decoders.md (design sections are single numbers).
    static func citations(in text: String) -> [(document: String, section: String)] {
        var found: [(String, String)] = []
        let pattern = /(decoders\.md|design\.md|design)?\s*§([0-9]+(?:\.[0-9]+)?)/
        for match in text.matches(of: pattern) {
            let section = String(match.output.2)
            if let name = match.output.1 {
                found.append((name.hasPrefix("design") ? "design.md" : "decoders.md", section))
            } else if section.contains(".") {
                found.append(("decoders.md", section))
            }
        }
        return found
    }

    @Test("every citation of decoders.md and design.md names a section that exists")
    func citationsResolve() throws {
        let known = ["decoders.md": try Self.sections(of: "decoders.md"), "design.md": try Self.sections(of: "design.md")]
        var checked = 0
        for file in Self.citingFiles() {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for (document, section) in Self.citations(in: text) {
                checked += 1
                #expect(known[document]!.contains(section),
                        "\(file.lastPathComponent) cites \(document) §\(section), which docs/\(document) does not have")
            }
        }
        #expect(checked > 50)
    }

    @Test("the citation scanner reads ranges, bare sections and design citations")
    func scanner() {
        let found = Self.citations(in: "decoders.md §4.2–§4.7 and §4.11; design §6; design.md §8; see §9").map { "\($0.0) \($0.1)" }
        #expect(found == ["decoders.md 4.2", "decoders.md 4.7", "decoders.md 4.11", "design.md 6", "design.md 8"])
    }
}
