import Modeling
import Testing

@Test func ModelingModuleBuilds() { #expect(Bool(true)) }
