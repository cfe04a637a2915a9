internal import ConveneKit
internal import Dispatch
internal import Foundation
internal import Synchronization

/// Commits a tick's batches to the ledger on a thread of its own, and hands what each commit
/// made new to the ``OutboxWriter``: while one batch is committed and another written out, the
/// engine runs the plugin over the next.
///
/// The stages keep the ledger's promises: a batch's messages reach the outbox only after its
/// transaction has committed, and their delivery is recorded by a later transaction, so a
/// crash at any point leaves every message either queued (written again by the next run) or
/// delivered, never lost and never written twice under two names.
///
/// The engine reads the ledger only after ``drain()``: a read must see every batch submitted
/// before it.
final class CommitPipeline: Sendable {
    /// What the committed batches did.
    struct Summary {
        /// Messages the ledger took as new (a key it already held is not sent again).
        var delivered = 0
        /// Artifacts written.
        var artifacts: [URL] = []
        /// Seconds spent in ledger transactions.
        var ledgerSeconds: Double = 0
    }

    private struct State {
        var summary = Summary()
        var failure: (any Error)?
    }

    let ledger: Ledger
    let writer: OutboxWriter
    let artifactsDirectory: URL
    private let queue = DispatchQueue(label: "convene.ledger-commits")
    private let state = Mutex(State())
    /// Bounds the batches submitted but not yet committed, and so the memory they hold.
    private let slots: DispatchSemaphore

    /// Whether committed messages are written to the outbox folder; not when a mail server
    /// channel sends them from the ledger.
    let writesMessages: Bool

    init(ledger: Ledger, outbox: FileOutbox, artifactsDirectory: URL, writesMessages: Bool = true, depth: Int = 2) {
        self.ledger = ledger
        self.writesMessages = writesMessages
        writer = OutboxWriter(outbox: outbox)
        self.artifactsDirectory = artifactsDirectory
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues a batch for its transaction; blocks while `depth` batches are waiting.
    /// - Throws: the error of an earlier batch that failed (nothing more is committed then).
    func submit(_ batch: LedgerBatch) throws {
        try checkFailure()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard state.withLock({ $0.failure == nil }) else { return }
            do {
                try commit(batch)
            } catch {
                state.withLock { $0.failure = error }
            }
        }
    }

    private func commit(_ batch: LedgerBatch) throws {
        var clock = Stopwatch()
        var batch = batch
        batch.delivered = writer.takeWritten()
        let inserted = try ledger.apply(batch)
        let seconds = clock.lap()
        let fresh = batch.messages.indices.compactMap { i -> LedgerBatch.Message? in
            guard let sequence = inserted[i] else { return nil }
            var message = batch.messages[i]
            message.sequence = sequence
            return message
        }
        if writesMessages { try writer.write(fresh) }
        var artifacts: [URL] = []
        for a in batch.artifacts {
            artifacts.append(try FileOutbox.writeAtomically(Data(a.artifact.content.utf8), named: a.artifact.name, in: artifactsDirectory))
        }
        state.withLock {
            if writesMessages { $0.summary.delivered += fresh.count }
            $0.summary.artifacts += artifacts
            $0.summary.ledgerSeconds += seconds
        }
    }

    /// Waits until every submitted batch is committed.
    /// - Returns: what the batches committed since the last call did.
    /// - Throws: the error of a batch that failed.
    func drain() throws -> Summary {
        queue.sync {}
        try checkFailure()
        return state.withLock { state in
            defer { state.summary = Summary() }
            return state.summary
        }
    }

    /// Waits for both stages: every batch committed and every message written.
    /// - Returns: what the batches did, and the ledger sequences of the messages written since
    ///   the last commit, whose delivery is not yet recorded.
    func finish() throws -> (summary: Summary, written: [Int64]) {
        let summary = try drain()
        return (summary, try writer.finish())
    }

    /// Lets both stages finish what they hold, after a failure elsewhere; what they had not
    /// recorded stays queued in the ledger and is written again by the next run.
    func abandon() {
        queue.sync {}
        _ = try? writer.finish()
    }

    private func checkFailure() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }
}
