import Tokenization
import Testing

@Test func TokenizationModuleBuilds() { #expect(Bool(true)) }
