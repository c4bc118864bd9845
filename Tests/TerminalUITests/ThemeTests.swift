import Foundation
import Testing
@testable import TerminalUI

@Suite struct ThemeTests {
    static let themesDirectory = Fixtures.repositoryRoot.appendingPathComponent("themes").path

    @Test("every shipped theme parses without warnings")
    func shippedThemesParse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory).filter { $0.hasSuffix(".theme") }.sorted()
        #expect(files == ["default.theme", "light.theme", "mono.theme"])
        for file in files {
            let parsed = try ThemeFile.load("\(Self.themesDirectory)/\(file)", directories: [])
            #expect(parsed.warnings.isEmpty, "\(file): \(parsed.warnings)")
        }
    }

    @Test("default.theme spells out the built-in default")
    func defaultFileMatchesBuiltIn() throws {
        let parsed = try ThemeFile.load("default", directories: [Self.themesDirectory])
        #expect(parsed.theme.values == Theme.builtIn.values)
    }

    @Test("the mono theme uses only the 8 basic colours")
    func monoIsEightColours() throws {
        let theme = try ThemeFile.load("mono", directories: [Self.themesDirectory]).theme
        for role in StyleRole.allCases {
            #expect(theme.foreground(role).paletteIndex(colors: 8) < 8)
            if case .rgb = theme.foreground(role) { Issue.record("\(role) is RGB in mono") }
            if case .rgb = theme.background(role) { Issue.record("\(role) background is RGB in mono") }
        }
    }

    @Test("unknown keys and bad values warn; missing keys fall back")
    func warningsAndFallback() {
        let parsed = ThemeFile.parse("""
            # a comment
            mask_fg = "#112233"
            theme[prompt_fg]="red"
            shiny_fg = "#000000"
            text_fg = "not a colour"
            garbage line
            """, name: "t", source: "t.theme")
        #expect(parsed.theme.color("mask_fg") == .rgb(0x11, 0x22, 0x33))
        #expect(parsed.theme.color("prompt_fg") == .indexed(1))
        #expect(parsed.theme.values["text_fg"] == Theme.builtIn.values["text_fg"])
        #expect(parsed.theme.values["cursor_bg"] == Theme.builtIn.values["cursor_bg"])
        #expect(parsed.warnings == [
            "t.theme:4: unknown key \"shiny_fg\" ignored",
            "t.theme:5: invalid value \"not a colour\" for text_fg (expected #RRGGBB, 0-255, a colour name or default); default kept",
            "t.theme:6: expected key = value; line ignored",
        ])
    }

    @Test("colours map onto 256 and 8 colour palettes")
    func paletteMapping() {
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 256) == 196)
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 8) == 1)
        #expect(ThemeColor.rgb(128, 128, 128).paletteIndex(colors: 256) == 244)
        #expect(ThemeColor.rgb(10, 10, 10).paletteIndex(colors: 8) == 0)
        #expect(ThemeColor.indexed(12).paletteIndex(colors: 8) == 4)
        #expect(ThemeColor.terminalDefault.paletteIndex(colors: 256) == -1)
        #expect(ThemeColor(parsing: "#abc") == .rgb(0xAA, 0xBB, 0xCC))
        #expect(ThemeColor(parsing: "300") == nil)
    }

    @Test("the committed gradient runs from start through mid to end")
    func gradient() {
        let theme = Theme.builtIn
        #expect(theme.foreground(.committed0) == theme.color("confidence_start"))
        #expect(theme.foreground(.committed2) == theme.color("confidence_mid"))
        #expect(theme.foreground(.committed4) == theme.color("confidence_end"))
        #expect(StyleRole.committed(confidence: 0.99) == .committed4 && StyleRole.committed(confidence: 0.05) == .committed0)
    }
}
