internal import ConveneKit
internal import Dispatch
internal import Foundation
internal import Synchronization

/// Commits a tick's batches to the ledger on a thread of its own, with their messages' files
/// written by an ``OutboxWriter`` on another: while one batch is committed and another written
/// out, the engine runs the plugin over the next.
///
/// The stages keep the ledger's promises. For the outbox folder, a batch's files are staged
/// before its transaction, which records its messages as delivered, and moved into the outbox
/// after the transaction has committed; a crash at any point leaves every message either
/// unrecorded with its file still staged (the batch runs again) or recorded with its file in
/// the outbox or staged to be moved in at the next start (``FileOutbox/recover(ledger:)``):
/// never lost, never written twice. For a mail server, the transaction queues the messages,
/// bytes and all, and the channel sends them afterwards.
///
/// The engine reads the ledger only after ``drain()``: a read must see every batch submitted
/// before it.
final class CommitPipeline: Sendable {
    /// What the committed batches did.
    struct Summary {
        /// Messages delivered to the outbox folder (a message whose key the ledger already
        /// held is not delivered again).
        var delivered = 0
        /// Artifacts written.
        var artifacts: [URL] = []
        /// Seconds spent in ledger transactions.
        var ledgerSeconds: Double = 0
    }

    private struct State {
        var summary = Summary()
        var failure: (any Error)?
        var batches = 0
    }

    let ledger: Ledger
    /// Writes the messages' files, when they go to the outbox folder; `nil` when a mail server
    /// channel sends them from the ledger.
    let writer: OutboxWriter?
    let artifactsDirectory: URL
    private let queue = DispatchQueue(label: "convene.ledger-commits")
    private let state = Mutex(State())
    /// Bounds the batches submitted but not yet committed, and so the memory they hold.
    private let slots: DispatchSemaphore
    /// Begins the name of each batch's folder in the outbox's `.staging`: unique to this
    /// pipeline, so that a batch run again after a crash never takes an earlier one's folder.
    private let batchPrefix: String

    init(ledger: Ledger, outbox: FileOutbox?, artifactsDirectory: URL, depth: Int = 2) {
        self.ledger = ledger
        self.artifactsDirectory = artifactsDirectory
        slots = DispatchSemaphore(value: depth)
        let stamp = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        let prefix = stamp + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        batchPrefix = prefix
        writer = outbox.map { OutboxWriter(outbox: $0, owner: prefix) }
    }

    /// Queues a batch: its files are staged, then it is committed, then its files are moved
    /// into the outbox. Blocks while `depth` batches are waiting for their commit.
    /// - Throws: the error of an earlier batch that failed (nothing more is committed then).
    func submit(_ batch: LedgerBatch) throws {
        try checkFailure()
        slots.wait()
        guard let writer, !batch.messages.isEmpty else {
            queue.async { [self] in
                defer { slots.signal() }
                attempt { _ = try commit(batch) }
            }
            return
        }
        let name = state.withLock { state in
            state.batches += 1
            return batchPrefix + "-" + String(state.batches)
        }
        writer.queue.async { [self] in
            guard attempt({ try writer.stage(batch.messages, batch: name) }) != nil else {
                writer.discard(batch.messages, batch: name)
                slots.signal()
                return
            }
            // The bytes are in the files now: the commit stores only the records. (They stay in
            // memory until the files are moved in; the slots bound how many batches that is.)
            var staged = batch
            staged.stagedAs = name
            let records = staged
            queue.async { [self] in
                defer { slots.signal() }
                guard let inserted = attempt({ try commit(records) }) else {
                    writer.queue.async { writer.discard(records.messages, batch: name) }
                    return
                }
                writer.queue.async { [self] in
                    attempt {
                        let moved = try writer.publish(records.messages, inserted: inserted, batch: name)
                        state.withLock { $0.summary.delivered += moved }
                    }
                }
            }
        }
    }

    /// Runs one stage's work unless an earlier one failed; records its failure.
    /// - Returns: its result, or `nil` if it failed or did not run.
    @discardableResult
    private func attempt<T>(_ work: () throws -> T) -> T? {
        guard state.withLock({ $0.failure == nil }) else { return nil }
        do {
            return try work()
        } catch {
            state.withLock { if $0.failure == nil { $0.failure = error } }
            return nil
        }
    }

    private func commit(_ batch: LedgerBatch) throws -> [Int64?] {
        var clock = Stopwatch()
        let inserted = try ledger.apply(batch)
        let seconds = clock.lap()
        var artifacts: [URL] = []
        for a in batch.artifacts {
            artifacts.append(try FileOutbox.writeAtomically(Data(a.artifact.content.utf8), named: a.artifact.name, in: artifactsDirectory))
        }
        state.withLock {
            $0.summary.artifacts += artifacts
            $0.summary.ledgerSeconds += seconds
        }
        return inserted
    }

    /// Waits until every submitted batch is committed (its files may still be moving in).
    /// - Returns: what the batches committed since the last call did.
    /// - Throws: the error of a batch that failed.
    func drain() throws -> Summary {
        waitForCommits()
        try checkFailure()
        return takeSummary()
    }

    /// Waits for every stage: every batch committed and its files moved into the outbox.
    /// - Returns: what the batches did since the last ``drain()``.
    /// - Throws: the error of a batch that failed.
    func finish() throws -> Summary {
        waitForCommits()
        writer?.queue.sync { writer?.close() }
        try checkFailure()
        return takeSummary()
    }

    /// Lets every stage finish what it holds, after a failure elsewhere; batches not committed
    /// leave nothing behind, and files not moved in are moved in by the next run.
    func abandon() {
        waitForCommits()
        writer?.queue.sync { writer?.close() }
    }

    /// Seconds the outbox's thread has spent writing and moving files.
    var outboxSeconds: Double { writer?.seconds ?? 0 }

    private func waitForCommits() {
        // A batch is staged before it is queued for its commit.
        writer?.queue.sync {}
        queue.sync {}
    }

    private func takeSummary() -> Summary {
        state.withLock { state in
            defer { state.summary = Summary() }
            return state.summary
        }
    }

    private func checkFailure() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }
}
