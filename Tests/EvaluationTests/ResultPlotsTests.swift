import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// The results page's SVG plots: well-formed XML, values at the right places on their axes, the
/// typical item chosen by its rule, and rendered by `rsvg-convert` at the size they declare.
@Suite struct ResultPlotsTests {
    /// Every element of an SVG file as (name, attributes, text), in document order; fails the test
    /// when the file is not well-formed XML.
    final class Elements: NSObject, XMLParserDelegate {
        var list: [(name: String, attributes: [String: String], text: String)] = []
        private var open: [Int] = []  // indices into `list` of the elements not yet closed
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            open.append(list.count)
            list.append((name, attributes, ""))
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let innermost = open.last, list[innermost].name != "svg" { list[innermost].text += string }
        }

        static func parse(_ svg: String) -> [(name: String, attributes: [String: String], text: String)] {
            let parser = XMLParser(data: Data(svg.utf8)), delegate = Elements()
            parser.delegate = delegate
            let ok = parser.parse()
            #expect(ok, "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(delegate.list.first?.name == "svg" && delegate.list.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            return delegate.list
        }
    }

    private func number(_ text: String?) -> Double { text.flatMap(Double.init) ?? .nan }

    @Test("dot plot: each mean and item dot sits where the tick labels say its value is")
    func dotPlotPlacement() {
        let plot = DotPlot(title: "AR-ness <test> & co", axisLabel: "x", domain: -1...1, ticks: [-1, -0.5, 0, 0.5, 1], rows: [
            DotPlot.Row(label: "left to right", values: [1, 1, 1]),
            DotPlot.Row(label: "mixed", values: [0.25, 0.75]),
            DotPlot.Row(label: "right to left", values: [-1, 0]),
            DotPlot.Row(label: "undefined", values: []),
        ])
        let elements = Elements.parse(plot.svg())
        #expect(elements.contains { $0.name == "title" && $0.text == "AR-ness <test> & co" })
        // The axis from its tick labels, read from the file.
        let tick = { (label: String) in self.number(elements.first { $0.name == "text" && $0.text == label }?.attributes["x"]) }
        let (minus1, zero, plus1) = (tick("-1.00"), tick("0.00"), tick("1.00"))
        #expect(minus1 < zero && zero < plus1 && abs((plus1 - zero) - (zero - minus1)) < 0.02)
        let expectedX = { (value: Double) in zero + value * (plus1 - zero) }
        let means = elements.filter { $0.attributes["class"] == "mean" }
        #expect(means.count == 3, "no mean dot for the row without values")
        for (mean, value) in zip(means, [1.0, 0.5, -0.5]) {
            #expect(abs(number(mean.attributes["cx"]) - expectedX(value)) < 0.02, "\(mean.attributes)")
            #expect(mean.attributes["data-value"] == String(format: "%.4f", value))
        }
        // Rows top to bottom in the given order.
        #expect(means.map { number($0.attributes["cy"]) } == means.map { number($0.attributes["cy"]) }.sorted())
        let items = elements.filter { $0.attributes["class"] == "item" }
        #expect(items.count == 7)
        for item in items {
            #expect(abs(number(item.attributes["cx"]) - expectedX(number(item.attributes["data-value"]))) < 0.02)
        }
        #expect(elements.contains { $0.name == "text" && $0.text == "n/a" })
        #expect(elements.contains { $0.name == "text" && $0.text == "0.50 (2)" })
        // The mean's bar runs from the origin (0) to the mean.
        let bars = elements.filter { $0.attributes["class"] == "bar" }
        #expect(abs(number(bars[2].attributes["x"]) - expectedX(-0.5)) < 0.02)
        #expect(abs(number(bars[2].attributes["width"]) - (zero - expectedX(-0.5))) < 0.02)
    }

    @Test("heat map: a cell per position, coloured first step light to last step dark, padding faded")
    func heatMapCells() {
        let map = DecodeOrderHeatMap(title: "order", rows: [
            DecodeOrderHeatMap.Row(label: "a", order: DecodeOrder(steps: 3, useful: 2, positions: [1, 3, 2, nil])),
            DecodeOrderHeatMap.Row(label: "b", order: DecodeOrder(steps: 1, useful: 4, positions: [1, 1, 1, 1])),
        ])
        let cells = Elements.parse(map.svg()).filter { $0.attributes["class"] == "cell" }
        #expect(cells.count == 8)
        let first = cells[0].attributes, last = cells[1].attributes, middle = cells[2].attributes, never = cells[3].attributes
        #expect(first["fill"] == "#fde725" && first["data-step"] == "1" && first["fill-opacity"] == nil)
        #expect(last["fill"] == "#440154" && last["data-step"] == "3" && last["fill-opacity"] == nil)
        #expect(middle["fill"] == "#21918c" && middle["fill-opacity"] == "0.35", "after the useful answer: faded")
        #expect(never["fill"] == "#bbbbbb" && never["data-step"] == "")
        // Positions left to right, rows top to bottom, cells not overlapping.
        let xs = cells[0..<4].map { number($0.attributes["x"]) }
        #expect(xs == xs.sorted() && Set(xs).count == 4 && xs[1] - xs[0] >= number(first["width"]))
        #expect(number(cells[4].attributes["y"]) > number(first["y"]) + number(first["height"]) - 0.01)
        // A one-step decode sits at the start of the ramp.
        #expect(cells[4...].allSatisfy { $0.attributes["fill"] == "#fde725" })
    }

    @Test("the colour ramp interpolates between its stops and clamps")
    func ramp() {
        #expect(ColourRamp.colour(at: 0) == "#fde725" && ColourRamp.colour(at: 1) == "#440154")
        #expect(ColourRamp.colour(at: -3) == "#fde725" && ColourRamp.colour(at: .nan) == "#fde725")
        #expect(ColourRamp.colour(at: 0.125) == "#aed844")  // halfway from #fde725 to #5ec962
    }

    /// Three items under two settings; item "b" is nearest both settings' median AR-ness.
    static func report() -> BenchReport {
        let order = DecodeOrder(steps: 2, useful: 2, positions: [1, 2])
        func result(_ setting: String, _ item: String, _ arness: Double?, order: DecodeOrder? = order) -> ItemResult {
            ItemResult(setting: setting, itemID: item, correct: true,
                       outcome: DecodeOutcome(answer: "1", nfe: 2, usefulTokens: 2, seconds: 0.1, arness: arness, emergence: 0.5,
                                              remasked: 0, remaskedChanged: 0, decodeOrder: order))
        }
        let x = BenchSetting(decoder: "x"), y = BenchSetting(decoder: "y", overrides: ["k": "1"])
        let results = [result(x.label, "a", 1), result(x.label, "b", 0.5), result(x.label, "c", 0.4),
                       result(y.label, "a", nil), result(y.label, "b", -0.2), result(y.label, "c", 0.6, order: nil)]
        return BenchReport(suite: "s", model: "m", seed: 0, itemsPerSetting: 3, complete: true,
                           summaries: [SettingSummary(setting: x, results: Array(results[0..<3])),
                                       SettingSummary(setting: y, results: Array(results[3...]))],
                           results: results, machine: "test")
    }

    @Test("the typical item: nearest every setting's median AR-ness, among items with an order everywhere")
    func typicalItem() throws {
        // Medians: x 0.5, y 0.2. a: 0.5 + 2 (undefined) = 2.5; b: 0 + 0.4 = 0.4; c has no order under y.
        #expect(ResultPlots.typicalItem(Self.report()) == "b")
        let files = ResultPlots.files(Self.report(), prefix: "ref")
        #expect(files.map(\.name) == ["ref-arness.svg", "ref-emergence.svg", "ref-decode-order.svg"])
        #expect(files[2].svg.contains("Decode order of b"))
        let page = ResultPlots.markdown(files, title: "s: plots", linkPrefix: "results/")
        #expect(page.contains("](results/ref-arness.svg)") && page.contains("](results/ref-decode-order.svg)"))
    }

    @Test("a report written before the analysis columns decodes and has nothing to plot")
    func oldReport() throws {
        let json = #"""
        {"suite": "s", "model": "m", "seed": 0, "itemsPerSetting": 1, "complete": true, "yMax": 100, "aup": {}, "machine": "x",
         "summaries": [{"setting": {"decoder": "x", "overrides": {}}, "label": "x (reference)", "items": 1, "correct": 1,
                        "accuracy": 100, "meanNFE": 2, "tokensPerForward": 1, "tokensPerSecond": 1, "wallSeconds": 1}],
         "results": [{"setting": "x (reference)", "itemID": "a", "correct": true,
                      "outcome": {"answer": "1", "nfe": 2, "usefulTokens": 2, "seconds": 1}}]}
        """#
        let report = try JSONDecoder().decode(BenchReport.self, from: Data(json.utf8))
        #expect(report.results[0].outcome.decodeOrder == nil && report.summaries[0].meanRemasked == nil)
        #expect(ResultPlots.files(report, prefix: "old").isEmpty)
    }

    @Test("rsvg-convert renders every plot at the size it declares")
    func rsvgRenders() throws {
        let rsvg = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        guard FileManager.default.isExecutableFile(atPath: rsvg.path) else {
            Issue.record("rsvg-convert not found: run scripts/install-deps (librsvg2-bin)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ResultPlots.files(Self.report(), prefix: "ref") {
            let svg = folder.appendingPathComponent(file.name), png = svg.deletingPathExtension().appendingPathExtension("png")
            try file.svg.write(to: svg, atomically: true, encoding: .utf8)
            let result = try ChildProcess.run(rsvg, [svg.path, "-o", png.path], capturing: .standardError)
            #expect(result.status == 0, "\(file.name): \(result.text)")
            let bytes = [UInt8](try Data(contentsOf: png))
            #expect(bytes.count > 24 && bytes[1...3] == [0x50, 0x4E, 0x47], "\(file.name): not a PNG")
            let dimension = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
            let svgRoot = try #require(Elements.parse(file.svg).first)
            #expect(Double(dimension(16)) == number(svgRoot.attributes["width"]).rounded(.up), "\(file.name) width")
            #expect(Double(dimension(20)) == number(svgRoot.attributes["height"]).rounded(.up), "\(file.name) height")
        }
    }
}
