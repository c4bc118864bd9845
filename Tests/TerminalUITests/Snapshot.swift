import Foundation
import Testing
@testable import TerminalUI

/// Compares a screen with Tests/Fixtures/tui/NAME.txt (text, foreground and background layers).
/// Run with UPDATE_SNAPSHOTS=1 to write the files on purpose.
enum Snapshot {
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" }

    static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = Fixtures.tui.appendingPathComponent("\(name).txt")
        let actual = screen.snapshot
        if updating {
            try? FileManager.default.createDirectory(at: Fixtures.tui, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing snapshot \(name).txt; run with UPDATE_SNAPSHOTS=1 to create it", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = firstDifference.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" } ?? "lengths differ"
            Issue.record("snapshot \(name).txt differs at \(detail)", sourceLocation: sourceLocation)
        }
    }
}
