import Foundation
import Recording
@testable import TerminalUI
import Testing

/// The cast exports played by asciinema-player 3.12.1, asciinema's own web player, which reads
/// asciicast v3 (from 3.10 on) as well as v2. `scripts/install-deps` installs it, pinned by checksum,
/// from the PyPI package that bundles that build. Headless Chromium loads it with the export through
/// its public API (`AsciinemaPlayer.create`, `seek`, `getCurrentTime`, `getDuration`), seeks to each
/// marker and to the end, and reads back the terminal the player drew and the markers it lists.
@Suite struct AsciinemaPlayerTests {
    static let player = URL(fileURLWithPath: "/usr/local/share/asciinema-player/3.12.1/asciinema-player.min.js")

    struct Setting: Sendable, CustomTestStringConvertible {
        var version: CastExport.Version, lanes: Int, ghosts: Bool, order: Bool
        var testDescription: String {
            "v\(version.rawValue), \(lanes) lane(s)\(ghosts ? ", ghosts" : "")\(order ? ", order" : "")"
        }
        var options: CastExport.Options {
            var options = CastExport.Options()
            options.version = version
            options.showGhosts = ghosts
            options.showOrder = order
            return options
        }
    }

    static let settings = [
        Setting(version: .v3, lanes: 1, ghosts: false, order: false),
        Setting(version: .v3, lanes: 2, ghosts: true, order: true),
        Setting(version: .v2, lanes: 1, ghosts: false, order: false),
    ]

    /// What the page reports: the player's duration, its marker tooltips ("MM:SS - label"), and the
    /// time and terminal lines after seeking to each given time, to each marker and to the end.
    struct Report: Decodable {
        struct Stop: Decodable { var time: Double, lines: [String] }
        var errors: [String], duration: Double?, tooltips: [String], frames: [Stop], markers: [Stop], end: Stop?
    }

    @Test("asciinema-player reads the export: markers at their steps' frames, each frame and the last one as rendered",
          arguments: settings)
    func playerShowsTheExport(_ setting: Setting) throws {
        guard FileManager.default.isReadableFile(atPath: Self.player.path) else {
            Issue.record("asciinema-player 3.12.1 not found at \(Self.player.path): run scripts/install-deps")
            return
        }
        let lanes = Array(repeating: SampleTrajectory.replay(), count: setting.lanes), options = setting.options
        var playground = CastExport.replayPlayground(lanes: lanes, label: "demo", options: options)
        let total = playground.state.totalSteps
        let screen = { (step: Int) in CastExport.frame(&playground, step: step, theme: .builtIn, size: options.size).lines }
        // What the recording is meant to be, independent of how its timestamps are written: step k's
        // frame from k × stepSeconds on, the last one held for holdSeconds, each marker at its step's frame.
        let frameTimes = (0...total).map { Double($0) * options.stepSeconds }
        let duration = Double(total) * options.stepSeconds + options.holdSeconds

        let cast = try CastExport.cast(lanes: lanes, label: "demo", theme: .builtIn, options: options)
        let dom = try HeadlessChromium.browse(try Self.page(cast, seekingTo: frameTimes), virtualMilliseconds: 30_000)
        guard !dom.isEmpty else { return }
        let report = try Self.report(dom)
        #expect(report.errors.isEmpty, "the player failed: \(report.errors)")
        #expect(abs((report.duration ?? -1) - duration) < 1e-6, "the player reads a duration of \(report.duration ?? -1) s, not \(duration)")

        #expect(report.frames.count == total + 1)
        for (step, stop) in report.frames.enumerated() {
            let expected = screen(step)
            #expect(stop.lines == expected, "at \(stop.time) s (step \(step)): \(Self.difference(stop.lines, expected))")
        }

        let markers = cast.split(separator: "\n").dropFirst().compactMap { AsciicastSpec.Event(String($0)) }
            .filter { $0.code == "m" }.map(\.data)
        #expect(markers.count >= 9, "the sample has markers at block, cache, remask and edit steps")
        #expect(report.tooltips.count == markers.count, "\(report.tooltips)")
        for (tooltip, marker) in zip(report.tooltips, markers) {
            #expect(tooltip.hasSuffix(" - \(marker)"), "tooltip '\(tooltip)' should name '\(marker)'")
        }
        #expect(report.markers.count == markers.count)
        for (stop, marker) in zip(report.markers, markers) {
            // "step N: …" or "step N · lane L: …"
            let step = try #require(Int(marker.dropFirst("step ".count).prefix { $0.isNumber }), "\(marker)")
            #expect(abs(stop.time - frameTimes[step]) < 1e-6, "'\(marker)' is at \(stop.time) s, not at step \(step)'s frame (\(frameTimes[step]) s)")
            let expected = screen(step)
            #expect(stop.lines == expected, "at '\(marker)': \(Self.difference(stop.lines, expected))")
        }

        let end = try #require(report.end), last = screen(total)
        #expect(abs(end.time - duration) < 1e-6, "the end is at \(end.time) s, not \(duration)")
        #expect(end.lines == last, "at the end: \(Self.difference(end.lines, last))")
        #expect(end.lines.contains { $0.contains("Soft drops on the roof,↵") } || setting.order, "the answer is on screen")
    }

    /// A page that loads the player from its installed file, opens `cast` from inline data, and writes
    /// a `Report` as JSON into `#result`. `<` is escaped inside both JSON blocks so that neither can end
    /// its script element early.
    static func page(_ cast: String, seekingTo times: [Double]) throws -> String {
        let data = String(decoding: try JSONSerialization.data(withJSONObject: cast, options: [.fragmentsAllowed]), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
        return """
        <!doctype html><html><head><meta charset="utf-8"></head><body><div id="player"></div>
        <script>
        // Headless Chromium draws no frames under a virtual time budget, so animation frames (which
        // the player renders its terminal in) would never come; timers stand in for them.
        window.requestAnimationFrame = callback => setTimeout(() => callback(performance.now()), 16);
        window.cancelAnimationFrame = id => clearTimeout(id);
        </script>
        <script src="\(player.absoluteString)"></script>
        <script type="application/json" id="cast">\(data)</script>
        <script>
        const report = {errors: [], tooltips: [], frames: [], markers: []};
        window.addEventListener('error', event => report.errors.push(String(event.message)));
        const settle = () => new Promise(resolve => setTimeout(resolve, 100));
        // The player draws block elements (U+2580–U+259F: mask shades, bars) itself, as a blank cell
        // with the class cp-<code point>; those read back as their characters.
        const cell = node => {
          const code = /(?:^|\\s)cp-([0-9a-f]+)/.exec(node.className || '');
          return code ? String.fromCodePoint(parseInt(code[1], 16)).repeat(node.textContent.length) : node.textContent;
        };
        const lines = () => Array.from(document.querySelectorAll('#player .ap-line'), line => Array.from(line.childNodes, cell).join(''));
        (async () => {
          if (typeof AsciinemaPlayer === 'undefined') throw 'asciinema-player did not load';
          const cast = JSON.parse(document.getElementById('cast').textContent);
          const player = AsciinemaPlayer.create({data: cast}, document.getElementById('player'), {preload: true, controls: true});
          await player.seek(0); await settle();
          report.duration = await player.getDuration();
          report.tooltips = Array.from(document.querySelectorAll('#player .ap-marker-container .ap-tooltip'), t => t.textContent);
          for (const time of \(String(describing: times))) {
            await player.seek(time); await settle();
            report.frames.push({time: await player.getCurrentTime(), lines: lines()});
          }
          for (let index = 0; index < report.tooltips.length; index++) {
            await player.seek({marker: index}); await settle();
            report.markers.push({time: await player.getCurrentTime(), lines: lines()});
          }
          await player.seek(report.duration); await settle();
          report.end = {time: await player.getCurrentTime(), lines: lines()};
        })().catch(error => report.errors.push(String(error))).finally(() => {
          const result = document.createElement('script');
          result.type = 'application/json';
          result.id = 'result';
          result.textContent = JSON.stringify(report).replace(/</g, '\\\\u003c');
          document.body.appendChild(result);
        });
        </script></body></html>
        """
    }

    /// The first row where the player's terminal and the rendered screen differ, both ways.
    static func difference(_ shown: [String], _ expected: [String]) -> String {
        guard shown.count == expected.count else { return "the player shows \(shown.count) rows, the screen has \(expected.count)" }
        guard let row = shown.indices.first(where: { shown[$0] != expected[$0] }) else { return "same" }
        return "row \(row) shows\n\(shown[row])\nbut the screen has\n\(expected[row])"
    }

    static func report(_ dom: String) throws -> Report {
        let start = try #require(dom.range(of: "<script type=\"application/json\" id=\"result\">"), "the page wrote no result")
        let end = try #require(dom.range(of: "</script>", range: start.upperBound..<dom.endIndex))
        return try JSONDecoder().decode(Report.self, from: Data(dom[start.upperBound..<end.lowerBound].utf8))
    }
}
