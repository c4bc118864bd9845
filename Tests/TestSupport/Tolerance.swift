import Foundation

/// Compares two float sequences element-wise: |a − b| ≤ atol + rtol·|b|.
/// Returns nil when they agree, else a description of the worst element, for `#expect(... == nil)`.
public func mismatch(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6) -> String? {
    guard actual.count == expected.count else { return "count \(actual.count) != \(expected.count)" }
    var worst: (index: Int, excess: Float)? = nil
    for i in actual.indices {
        let a = actual[i], b = expected[i]
        if a.isNaN != b.isNaN { return "NaN mismatch at \(i): \(a) vs \(b)" }
        if a.isNaN || a == b { continue }
        let excess = abs(a - b) - (atol + rtol * abs(b))
        if excess > 0, excess > (worst?.excess ?? 0) { worst = (i, excess) }
    }
    guard let worst else { return nil }
    return "element \(worst.index): \(actual[worst.index]) vs \(expected[worst.index]) (rtol \(rtol), atol \(atol))"
}

public func mismatch(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-12, atol: Double = 1e-12) -> String? {
    mismatch(actual.map(Float.init), expected.map(Float.init), rtol: Float(max(rtol, 1e-7)), atol: Float(max(atol, 1e-9)))
}

/// Where committed test fixtures live: `Tests/Fixtures` of the package.
public func fixturesDirectory(file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file)
    while url.pathComponents.count > 1 {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            return url.appendingPathComponent("Tests/Fixtures")
        }
    }
    return URL(fileURLWithPath: "Tests/Fixtures")
}

/// The package root (for tests that read shipped files such as `Models/` or `themes/`).
public func packageRoot(file: String = #filePath) -> URL {
    fixturesDirectory(file: file).deletingLastPathComponent().deletingLastPathComponent()
}
