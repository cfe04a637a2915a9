public import Foundation

/// A runner's hold on part of a step occurrence's work, so that several `convene run`
/// processes on one ledger never do the same part together.
///
/// The work of an occurrence is cut by roster position into blocks of ``Claim/blockSize``
/// delegations (block `-1` is an occurrence that takes every invitee at once). A runner claims
/// a block for a lease; each batch it commits in the block checks, in its own transaction,
/// that the claim is still its own and renews the lease; the last one releases it. A runner
/// that dies stops renewing, and once the lease has run out another runner takes the block
/// over, after reading again which delegations the first one finished.
public struct Claim: Sendable, Hashable {
    /// Delegations per block: enough that a block's batches are whole ones, few enough that
    /// four runners share a 50,000-delegation occurrence.
    public static let blockSize = 4096
    /// The block of an occurrence that takes every invitee at once.
    public static let wholeOccurrence = -1

    /// The step occurrence (or, for a reply-triggered step, the step).
    public var runKey: String
    /// The block.
    public var block: Int
    /// Whether another runner held the block and let its lease run out: what that runner
    /// committed after this one read the ledger must be read again.
    public var takenOver: Bool
    /// Whether another runner has worked on this ledger since this one read it: the block's
    /// states must be read again, for that runner may have changed them in another step.
    public var othersActive = false
}

/// Who a runner is, and how long its claims last without being renewed.
public struct RunnerIdentity: Sendable {
    /// Names the runner in claims: host, process and a random part.
    public var id: String
    /// How long a claim lasts without a commit renewing it.
    public var lease: TimeInterval

    /// A runner for this process.
    /// - Parameter lease: seconds; longer than the slowest batch a plugin runs.
    public init(lease: TimeInterval = 120) {
        let host = ProcessInfo.processInfo.hostName
        id = "\(host):\(getpid()):\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        self.lease = lease
    }
}

extension Ledger {
    /// Claims up to `limit` of an occurrence's blocks, in order, that no other runner holds: never
    /// claimed, released by this runner or before `loaded` (another runner that finished a
    /// block after this one read the ledger has done what this one would do), or whose lease
    /// has run out (or was given up by a runner that failed).
    /// - Parameters:
    ///   - runKey: the occurrence.
    ///   - blocks: the blocks this runner has work in, in order.
    ///   - runner: this runner.
    ///   - loaded: when this runner read the ledger's state.
    ///   - limit: at most this many.
    /// - Returns: the blocks claimed, in order.
    func claim(runKey: String, blocks: [Int], runner: RunnerIdentity, loaded: Date, limit: Int) throws(LedgerError) -> [Claim] {
        guard !blocks.isEmpty, limit > 0 else { return [] }
        return try wrap {
            try database.write { db in
                let now = Date().timeIntervalSince1970
                var rows = MultiRowInsert(db, "INSERT INTO claim (run_key, block) VALUES", row: "(?, ?)", columns: 2, tail: "ON CONFLICT DO NOTHING")
                for block in blocks { try rows.add(.text(runKey), .integer(Int64(block))) }
                try rows.flush()
                var claimed: [Claim] = []
                let list = blocks.map(String.init).joined(separator: ",")
                // A block another runner holds in another step (or a step that takes the whole
                // occurrence) waits: steps run over a block in workflow order, as in one runner.
                try db.forEachRow(
                    """
                    SELECT block, runner, expires_at FROM claim c
                    WHERE run_key = ? AND block IN (\(list)) AND (expires_at < ? OR runner = ?)
                      AND (expires_at > 0 OR completed_at IS NULL OR completed_at < ? OR runner = ?)
                      AND NOT EXISTS (
                          SELECT 1 FROM claim o WHERE o.runner <> ? AND o.expires_at >= ?
                          AND (o.block = c.block OR o.block = \(Claim.wholeOccurrence) OR c.block = \(Claim.wholeOccurrence)))
                    ORDER BY block LIMIT ? \(db.dialect.forUpdateSkipLocked)
                    """, .text(runKey), .real(now), .text(runner.id), .real(loaded.timeIntervalSince1970), .text(runner.id), .text(runner.id), .real(now),
                    .integer(Int64(limit))
                ) { row in
                    // Held before by another runner and never released: it died (or stalled, or
                    // failed) mid-block. (This runner's own claim is still its own: a batch of
                    // its earlier round may not have committed yet.)
                    let takenOver = !row.isNull(1) && row.real(2) > 0 && row.text(1) != runner.id
                    claimed.append(Claim(runKey: runKey, block: Int(row.integer(0)), takenOver: takenOver))
                }
                if !claimed.isEmpty {
                    // Another runner whose lease reached past this one's reading, or that finished
                    // a block since, may have committed after it.
                    let since = BindableValue.real(loaded.timeIntervalSince1970)
                    let others = try db.first(
                        "SELECT 1 FROM claim WHERE runner <> ? AND (expires_at >= ? OR completed_at >= ?) LIMIT 1",
                        .text(runner.id), since, since) { _ in true } ?? false
                    for i in claimed.indices { claimed[i].othersActive = others }
                    try db.execute(
                        "UPDATE claim SET runner = ?, expires_at = ? WHERE run_key = ? AND block IN (\(claimed.map { String($0.block) }.joined(separator: ",")))",
                        .text(runner.id), .real(now + runner.lease), .text(runKey))
                }
                return claimed
            }
        }
    }

    /// Gives up every claim a runner holds, after a tick failed: another runner (or the next
    /// run) may take the blocks at once, reading again what this one committed in them.
    func abandonClaims(runner: RunnerIdentity) throws(LedgerError) {
        try wrap {
            try database.write { db in
                // An expiry long past, not 0: the block was not finished.
                _ = try db.execute("UPDATE claim SET expires_at = 1 WHERE runner = ? AND expires_at > 1", .text(runner.id))
            }
        }
    }

    /// Releases a claim with no work left in it.
    func release(_ claim: Claim, runner: RunnerIdentity) throws(LedgerError) {
        try wrap {
            try database.write { db in
                try Self.holdClaim(db, claim, runner: runner, release: true)
            }
        }
    }

    /// Inside a batch's transaction: checks that the runner still holds the claim, and renews
    /// it (or releases it, after the block's last batch). A lease that ran out with no other
    /// runner taking the block is still the runner's own.
    /// - Throws: ``LedgerError`` with ``LedgerError/isClaimLost`` when the lease ran out and
    ///   another runner took the block over; the transaction must then roll back.
    static func holdClaim(_ db: LedgerConnection, _ claim: Claim, runner: RunnerIdentity, release: Bool) throws {
        let now = Date().timeIntervalSince1970
        // The update locks the row: a runner claiming the block now waits for this commit,
        // then finds the lease renewed.
        let held = try db.execute(
            "UPDATE claim SET expires_at = ?, completed_at = ? WHERE run_key = ? AND block = ? AND runner = ?",
            .real(release ? 0 : now + runner.lease), release ? .real(now) : .null, .text(claim.runKey), .integer(Int64(claim.block)),
            .text(runner.id))
        guard held == 1 else {
            throw LedgerError(
                "this runner's claim on \(claim.runKey) (block \(claim.block)) ran out and another runner took it over; nothing of the batch was recorded",
                kind: .claimLost)
        }
    }

    /// The delegations at some roster positions an occurrence has been applied to.
    func processed(runKey: String, positions: Range<Int>) throws(LedgerError) -> Set<String> {
        try wrap {
            try database.read { db in
                var done = Set<String>()
                try db.forEachRow(
                    """
                    SELECT p.delegation_id FROM step_progress p JOIN delegation d ON d.id = p.delegation_id
                    WHERE p.run_key = ? AND d.position >= ? AND d.position < ?
                    """, .text(runKey), .integer(Int64(positions.lowerBound)), .integer(Int64(positions.upperBound))
                ) { done.insert($0.text(0)) }
                return done
            }
        }
    }
}
