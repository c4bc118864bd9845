import Decoding
import Testing

@Test func DecodingModuleBuilds() { #expect(Bool(true)) }
