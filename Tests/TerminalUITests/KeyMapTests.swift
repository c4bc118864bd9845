import Foundation
import Testing
@testable import TerminalUI

@Suite struct KeyMapTests {
    @Test("no key is bound twice")
    func noDuplicates() {
        #expect(KeyMap.standard.duplicateKeys.isEmpty)
    }

    @Test("every action has a key")
    func everyActionBound() {
        for action in Action.allCases {
            #expect(KeyMap.standard.bindings.contains { $0.action == action }, "\(action) has no key")
        }
    }

    @Test("the README key table is the KeyMap's table")
    func readmeMatches() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = "<!-- keys:begin (generated from KeyMap.standard; KeyMapTests checks it) -->\n"
        let end = "\n<!-- keys:end -->"
        guard let start = readme.range(of: begin), let stop = readme.range(of: end, range: start.upperBound..<readme.endIndex) else {
            Issue.record("README.md has no key table markers")
            return
        }
        let table = String(readme[start.upperBound..<stop.lowerBound])
        if Snapshot.updating, table != KeyMap.standard.markdownTable {
            // The generator: UPDATE_SNAPSHOTS=1 swift test --filter KeyMapTests rewrites the table.
            let updated = readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: KeyMap.standard.markdownTable)
            try updated.write(to: Fixtures.repositoryRoot.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            return
        }
        #expect(table == KeyMap.standard.markdownTable, "README key table differs; expected:\n\(KeyMap.standard.markdownTable)")
    }
}
