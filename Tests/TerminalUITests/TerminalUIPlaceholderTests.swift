import TerminalUI
import Testing

@Test func TerminalUIModuleBuilds() { #expect(Bool(true)) }
