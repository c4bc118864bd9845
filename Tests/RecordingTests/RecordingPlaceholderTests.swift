import Recording
import Testing

@Test func RecordingModuleBuilds() { #expect(Bool(true)) }
