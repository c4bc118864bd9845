import Testing
@testable import TerminalUI

@Suite struct ScreenTests {
    @Test("wide characters take two cells and are clipped whole")
    func wideCharacters() {
        var screen = Screen(width: 5, height: 1)
        let end = screen.put("a世b", x: 0, y: 0, foreground: .value)
        #expect(end == 4)
        #expect(screen[1, 0].text == "世" && screen[2, 0].isContinuation)
        #expect(screen.lines == ["a世b "])
        var clipped = Screen(width: 3, height: 1)
        clipped.put("ab世", x: 0, y: 0)
        #expect(clipped.lines == ["ab "])
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var screen = Screen(width: 4, height: 1)
        screen.put("世界", x: 0, y: 0)
        screen.put("x", x: 1, y: 0)
        #expect(screen.lines == [" x界"])
    }

    @Test("display widths: ASCII, CJK, emoji, combining marks")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("世界") == 4)
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("\u{301}" as Character) == 0)
    }

    @Test("token text: control characters are made visible and a newline breaks the row")
    func tokenDisplay() {
        #expect(TokenDisplay.sanitize("a\nb") == ("a↵b", true))
        #expect(TokenDisplay.sanitize("\t\u{7}") == ("⇥�", false))
        #expect(TokenDisplay.sanitize("") == ("∅", false))
    }

    @Test("ANSI frames carry 256-colour styles and every row")
    func ansi() {
        var screen = Screen(width: 3, height: 2)
        screen.put("hi", x: 0, y: 0, foreground: .remasked)
        let text = AnsiFrame.encode(screen, theme: .builtIn)
        #expect(text.hasPrefix("\u{1B}[1;1H\u{1B}[0;1;38;5;"))
        #expect(text.contains("\u{1B}[2;1H"))
        #expect(text.hasSuffix("\u{1B}[0m"))
    }
}
