import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Recording
import TerminalUI
import Testing
import TestSupport

/// The SVG still of a replay step: well-formed XML whose words sit at their screen columns, in
/// the theme's colours, that a real renderer (`rsvg-convert`) turns into an image.
@Suite struct SVGExportTests {
    private func still(step: Int?, legend: Bool = false, order: Bool = false) -> String {
        SVGExport.still(lanes: [SampleTrajectory.replay()], label: "demo", theme: .builtIn,
                        size: TerminalSize(columns: 100, rows: 30), step: step, showOrder: order, legend: legend)
    }

    @Test("well-formed, sized to the screen, every word of the frame at its column (with and without the decode-order map)",
          arguments: [false, true])
    func wordsAtColumns(order: Bool) throws {
        let parsed = try #require(ParsedSVG(still(step: 4, order: order)), "not well-formed XML")
        #expect(parsed.rootAttributes["width"] == "840" && parsed.rootAttributes["height"] == "510")
        #expect(parsed.title == "dllm-play · demo · step 4")
        // Rebuild each row's text from the <text> elements and compare with the rendered screen.
        var playgroundRows: [Int: [(Int, String)]] = [:]
        for (x, y, text) in parsed.texts {
            playgroundRows[Int(y / 17), default: []].append((Int((x / 8.4).rounded()), text))
        }
        let frame = SVGExportTests.frame(step: 4, order: order)
        if order {
            let text = (0..<frame.height).map { y in (0..<frame.width).map { frame[$0, y].text }.joined() }.joined(separator: "\n")
            #expect(text.contains(" 1 1 2 3 4 4 4 4"), "the order map shows each position's step")
        }
        for row in 0..<frame.height {
            var line = Array(repeating: " ", count: frame.width)
            for (column, word) in playgroundRows[row] ?? [] {
                var c = column
                for character in word { line[c] = String(character); c += DisplayWidth.of(character) }
            }
            let expected = (0..<frame.width).map { frame[$0, row].isContinuation ? " " : frame[$0, row].text }
            #expect(line == expected, "row \(row)")
        }
    }

    static func frame(step: Int, order: Bool = false) -> Screen {
        var playground = Playground(sourceLabel: "demo", isLive: false)
        let replay = SampleTrajectory.replay()
        var updates: [SourceUpdate] = [.start(replay.header)] + replay.steps.map { .step($0) }
        if let end = replay.end { updates.append(.end(end)) }
        playground.receive(updates, lane: 0)
        playground.state.viewedStep = step
        playground.state.following = false
        playground.state.playing = false
        playground.state.showOrder = order
        return render(playground.state, theme: .builtIn, size: TerminalSize(columns: 100, rows: 30))
    }

    @Test("markup and control characters in token text are escaped or dropped")
    func escaping() {
        var screen = Screen(width: 20, height: 1)
        screen.put("<a&b> \u{1B}]0;x", x: 0, y: 0)
        let svg = SVGExport.svg(screen, theme: .builtIn, title: "t\"<")
        #expect(svg.contains("&lt;a&amp;b&gt;") && !svg.contains("\u{1B}") && svg.contains("<title>t&quot;&lt;</title>"))
    }

    @Test("rsvg-convert renders it, legend included")
    func rendersWithRsvg() throws {
        let rsvg = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        guard FileManager.default.isExecutableFile(atPath: rsvg.path) else {
            Issue.record("rsvg-convert not found: run scripts/install-deps (librsvg2-bin)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("still.svg"), output = folder.appendingPathComponent("still.png")
        try still(step: nil, legend: true).write(to: input, atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(rsvg, [input.path, "-o", output.path], capturing: .standardError)
        #expect(result.status == 0, "\(result.text)")
        let png = try Data(contentsOf: output)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // Width and height from the IHDR chunk: the SVG's 840 × (30 rows + legend) units.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 840 && height == 544)
    }
}

/// What the tests read back from an SVG, through a real XML parser (which also proves it well-formed).
final class ParsedSVG: NSObject, XMLParserDelegate {
    var rootAttributes: [String: String] = [:]
    var title = ""
    var texts: [(x: Double, y: Double, text: String)] = []
    private var current: String?
    private var buffer = ""
    private var attributes: [String: String] = [:]

    init?(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        if name == "svg" { rootAttributes = attributes }
        current = name
        buffer = ""
        self.attributes = attributes
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title" { title = buffer }
        if name == "text", let x = attributes["x"].flatMap(Double.init), let y = attributes["y"].flatMap(Double.init) {
            texts.append((x, y, buffer))
        }
        current = nil
    }
}
