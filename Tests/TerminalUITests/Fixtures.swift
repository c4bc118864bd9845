import Foundation

/// Paths of committed test fixtures.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tui = repositoryRoot.appendingPathComponent("Tests/Fixtures/tui")
}
