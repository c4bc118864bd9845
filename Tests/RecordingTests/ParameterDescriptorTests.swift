import Recording
import Testing

/// The typed nudges the playground's `[` and `]` make, and the one text form of values.
@Suite struct ParameterDescriptorTests {
    static func nudge(_ kind: ParameterKind, _ value: String, up: Bool, zeroMeans: Int? = nil) -> String? {
        try? ParameterDescriptor(key: "k", kind: kind, timing: .nextStep, value: value, zeroMeans: zeroMeans).nudged(up: up).get()
    }

    @Test("reals move by their step and print short, whole values included")
    func reals() {
        let threshold = ParameterKind.real(0...1, step: 0.05)
        #expect(Self.nudge(threshold, "1", up: false) == "0.95")
        #expect(Self.nudge(threshold, "0.9", up: false) == "0.85")
        #expect(Self.nudge(threshold, "0", up: true) == "0.05")
        #expect(Self.nudge(threshold, "1", up: true) == nil)  // at the top: refused, not wrapped
        #expect(Self.nudge(.real(0...100, step: 0.1), "0", up: true) == "0.1")
        #expect(Self.nudge(.real(0...100, step: 0.5), "0", up: true) == "0.5")
        #expect(Self.nudge(.real(0...0.999, step: 0.001), "0.001", up: true) == "0.002")
    }

    @Test("integers move by their step (to its multiples); 0 as a placeholder moves from what it means")
    func integers() {
        #expect(Self.nudge(.integer(1...100, step: 1), "5", up: true) == "6")
        #expect(Self.nudge(.integer(1...100, step: 1), "1", up: false) == nil)
        #expect(Self.nudge(.integer(1...1000, step: 2), "64", up: true) == "66")
        #expect(Self.nudge(.integer(1...1000, step: 2), "65", up: false) == "64")
        #expect(Self.nudge(.integer(0...1000, step: 1), "0", up: true, zeroMeans: 64) == "65")
        #expect(Self.nudge(.integer(0...1000, step: 1), "0", up: false, zeroMeans: 64) == "63")
    }

    @Test("lengths halve and double over the divisors; choices cycle; flags flip")
    func lengthsChoicesFlags() {
        let divisors = ParameterKind.length(divisors: [1, 2, 3, 4, 6, 8, 12, 16, 24, 48])
        #expect(Self.nudge(divisors, "16", up: true) == "48")
        #expect(Self.nudge(divisors, "16", up: false) == "8")
        #expect(Self.nudge(divisors, "48", up: true) == nil)
        #expect(Self.nudge(divisors, "1", up: false) == nil)
        #expect(Self.nudge(.choice(["none", "prefix", "dual"]), "dual", up: true) == "none")
        #expect(Self.nudge(.choice(["none", "prefix", "dual"]), "none", up: false) == "dual")
        #expect(Self.nudge(.flag, "true", up: true) == "false")
    }

    @Test("one formatter: whole numbers print without a point, others as the shortest round trip")
    func text() {
        #expect(ParameterText.format(1) == "1")
        #expect(ParameterText.format(0.85) == "0.85")
        #expect(ParameterText.format(1e-3) == "0.001")
        #expect(ParameterText.parseReal("nan") == nil && ParameterText.parseReal("0.5") == 0.5)
        #expect(ParameterText.parseFlag("on") == true && ParameterText.parseFlag("maybe") == nil)
    }
}
