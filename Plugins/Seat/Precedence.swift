/// A ladder of ranks, highest first: who has precedence when a track cannot seat everyone.
struct Precedence: Sendable {
    /// The ladder of United Nations protocol practice.
    static let standardLadder = [
        "head-of-state", "head-of-government", "vice-president", "deputy-prime-minister", "minister", "vice-minister",
        "head-of-delegation",
    ]

    private let levels: [String: Int]
    /// The level of a rank not on the ladder (or of no rank): after every rank on it.
    let unranked: Int

    /// A ladder, highest rank first. A rank listed twice keeps its first place.
    init(_ ladder: [String]) {
        var levels: [String: Int] = [:]
        for (level, rank) in ladder.enumerated() where levels[Self.normalized(rank)] == nil {
            levels[Self.normalized(rank)] = level
        }
        self.levels = levels
        unranked = ladder.count
    }

    /// A rank's level: 0 for the highest; ``unranked`` for one not on the ladder.
    func level(of rank: String?) -> Int {
        guard let rank else { return unranked }
        return levels[Self.normalized(rank)] ?? unranked
    }

    /// A rank as the ladder compares it: lowercase, with runs of spaces, `_` and `-` as one `-`.
    static func normalized(_ rank: String) -> String {
        var out = ""
        var pendingDash = false
        for character in rank.lowercased() {
            if character == " " || character == "_" || character == "-" {
                pendingDash = !out.isEmpty
            } else {
                if pendingDash { out.append("-") }
                pendingDash = false
                out.append(character)
            }
        }
        return out
    }
}
