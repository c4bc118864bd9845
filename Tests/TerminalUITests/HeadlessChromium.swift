import Foundation
import Testing
import TestSupport

/// Debian's `chromium`, headless, opening a page written to a temporary folder: what a real browser
/// shows, for the HTML player's tests and the asciicast web player's.
enum HeadlessChromium {
    static let executable = URL(fileURLWithPath: "/usr/bin/chromium")

    /// Opens `html` at `fragment` and returns the DOM once scripts have run for `virtualMilliseconds`
    /// of virtual time (timers run at once, so this is not a wait), or takes a screenshot into
    /// `screenshot` instead. Records an issue and returns "" when Chromium is not installed.
    static func browse(_ html: String, fragment: String = "", screenshot: URL? = nil, virtualMilliseconds: Int = 3000) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            Issue.record("chromium not found: run scripts/install-deps")
            return ""
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("player.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/profile",
                         "--virtual-time-budget=\(virtualMilliseconds)", "--window-size=1000,600"]
        arguments += screenshot.map { ["--screenshot=\($0.path)"] } ?? ["--dump-dom"]
        let result = try ChildProcess.run(executable, arguments + [file.absoluteString + fragment], capturing: .standardOutput)
        #expect(result.status == 0)
        return result.text
    }
}
