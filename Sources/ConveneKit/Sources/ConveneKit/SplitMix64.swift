/// SplitMix64 (Steele, Lea and Flood, 2014): a small, seeded, fully specified generator, so that
/// a draw by lot recorded with its seed can be made again on any machine and Swift version.
///
/// Steps are pure: one that draws lots takes a seed from its configuration and draws with this.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole future is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in `0..<count`, by rejection of the biased tail.
    ///
    /// Written out rather than left to `Int.random(in:using:)`, whose way of consuming the
    /// generator is the standard library's to change; a recorded draw must not move.
    /// - Parameter count: how many to choose from; at least 1.
    public mutating func index(below count: Int) -> Int {
        precondition(count > 0, "nothing to draw from")
        let bound = UInt64(count)
        // The largest multiple of `bound` that fits; values at or above it would favour small indices.
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }
}
