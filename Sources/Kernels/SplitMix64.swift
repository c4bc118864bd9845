/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable generator whose whole state is
/// one `UInt64`, so every run is reproducible from its seed. Passed explicitly wherever
/// randomness is needed; there is no global generator.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in the open interval (0, 1): safe to take log(−log u) of (Gumbel noise).
    public mutating func nextOpenUnitDouble() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }
}
